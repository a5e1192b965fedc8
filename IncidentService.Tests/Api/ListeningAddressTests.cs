using IncidentService.Api.Hosting;
using Microsoft.Extensions.Configuration;

namespace IncidentService.Tests.Api;

/// <summary>
/// Where the service listens and where it reads its settings from, decided before the host is built: the default
/// address only when no way of giving one was used, the installed directory as content root unless one is given.
/// The real processes in <c>FirstRunTests</c> and <c>InstalledProcessTests</c> show the same end to end.
/// </summary>
public sealed class ListeningAddressTests
{
    [Fact]
    public void Without_any_address_the_default_applies() => Assert.True(DefaultAddress.IsUnset(Configuration()));

    [Theory]
    [InlineData("urls", "http://127.0.0.1:5005")]
    [InlineData("http_ports", "8080")]
    [InlineData("https_ports", "8443")]
    [InlineData("Kestrel:Endpoints:Http:Url", "http://127.0.0.1:5005")]
    public void Any_way_of_giving_an_address_leaves_the_default_out(string key, string value) =>
        Assert.False(DefaultAddress.IsUnset(Configuration((key, value))));

    [Theory]
    [InlineData("urls")]
    [InlineData("http_ports")]
    [InlineData("https_ports")]
    public void A_blank_address_counts_as_none(string key) => Assert.True(DefaultAddress.IsUnset(Configuration((key, " "))));

    [Fact]
    public void The_content_root_is_the_installed_directory_unless_one_is_given()
    {
        var installed = InstalledContentRoot.Options(["--urls", "http://127.0.0.1:5005"]);
        var given = InstalledContentRoot.Options(["--contentRoot", "/srv/incidents"]);

        Assert.Equal(AppContext.BaseDirectory, installed.ContentRootPath);
        Assert.Equal(["--urls", "http://127.0.0.1:5005"], installed.Args ?? []);
        Assert.Null(given.ContentRootPath); // the host reads --contentRoot itself
        Assert.Equal(["--contentRoot", "/srv/incidents"], given.Args ?? []);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}
