using IncidentService.Upstream;

namespace IncidentService.Tests.Upstream;

public sealed class UpstreamConnectionTests
{
    [Theory]
    [InlineData("http://upstream.test/api", "http://upstream.test/api/")]
    [InlineData("http://upstream.test/api/", "http://upstream.test/api/")]
    [InlineData("http://upstream.test", "http://upstream.test/")]
    public void The_root_ends_in_exactly_one_slash_so_feed_paths_keep_the_base_path(string baseUrl, string expected)
    {
        var connection = new UpstreamConnection(new Uri(baseUrl), "elevate", "s3cret-pw", IsSimulator: false);

        Assert.Equal(expected, connection.Root.AbsoluteUri);
        Assert.Equal(expected + "incidents/probing/", new Uri(connection.Root, "incidents/probing/").AbsoluteUri);
    }

    [Theory]
    [InlineData(false, "http://upstream.test/api/ (user elevate)")]
    [InlineData(true, "http://upstream.test/api/ (user elevate, simulator)")]
    public void Printing_a_connection_names_where_and_who_but_never_the_password(bool simulator, string expected)
    {
        var connection = new UpstreamConnection(new Uri("http://upstream.test/api"), "elevate", "s3cret-pw", simulator);

        Assert.Equal(expected, connection.ToString());
        Assert.DoesNotContain("s3cret-pw", $"{connection}", StringComparison.Ordinal);
    }
}
