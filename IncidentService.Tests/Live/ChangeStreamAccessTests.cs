using System.Net;
using System.Net.Http.Headers;
using IncidentService.Tests.Access;

namespace IncidentService.Tests.Live;

/// <summary>The change stream under the access rules of <c>/incidents</c>: the test issuer's tokens and the dashboard key.</summary>
public sealed class ChangeStreamAccessTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    [Fact]
    public async Task Without_credentials_the_stream_is_refused()
    {
        await using var stream = await EventStream.OpenAsync(fixture.Client);

        Assert.Equal(HttpStatusCode.Unauthorized, stream.Response.StatusCode);
    }

    [Fact]
    public async Task The_dashboard_key_streams_every_employee()
    {
        await using var stream = await EventStream.OpenAsync(fixture.Client, configure: r => r.Headers.Add("X-Api-Key", ApiKeys.Dashboard));
        var first = await stream.NextSnapshotAsync();

        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        Assert.Contains(fixture.Employees.Own, first.ChangedEmployees);
        Assert.Contains(fixture.Employees.Other, first.ChangedEmployees);
    }

    [Fact]
    public async Task A_self_scoped_token_streams_only_its_own_employee()
    {
        var token = fixture.Issuer.MintWithScope("incidents:read:self", ("employee_id", fixture.Employees.Own));

        await using var stream = await EventStream.OpenAsync(fixture.Client, configure: r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token));
        var first = await stream.NextSnapshotAsync();

        // The first snapshot names everyone as changed; this caller hears of its own id alone.
        Assert.Equal([fixture.Employees.Own], first.ChangedEmployees);
        Assert.Equal(1, first.Json().GetProperty("changedEmployeeCount").GetInt32());
    }

    [Fact]
    public async Task A_token_without_a_read_scope_is_forbidden()
    {
        var token = fixture.Issuer.MintWithScope("metrics:read");

        await using var stream = await EventStream.OpenAsync(fixture.Client, configure: r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token));

        Assert.Equal(HttpStatusCode.Forbidden, stream.Response.StatusCode);
    }
}
