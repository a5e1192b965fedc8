using IncidentService.Core;

namespace IncidentService.Tests.Core;

public sealed class TargetTests
{
    [Fact]
    public void The_identities_go_by_their_public_name_and_are_no_feed()
    {
        Assert.Equal("identities", Target.Identities.Name);
        Assert.True(Target.Identities.IsIdentities);
        Assert.Equal("identities", Target.Identities.ToString());
    }

    [Fact]
    public void A_feed_is_named_as_configured()
    {
        var denial = Target.Feed("denial");

        Assert.Equal("denial", denial.Name);
        Assert.False(denial.IsIdentities);
        Assert.Equal("denial", denial.ToString());
    }

    [Theory]
    [InlineData("identities", true)]
    [InlineData("denial", false)]
    [InlineData("Identities", false)]
    public void A_public_name_stands_for_the_identities_only_when_spelled_as_they_are(string name, bool identities)
    {
        var target = Target.Named(name);

        Assert.Equal(name, target.Name);
        Assert.Equal(identities, target.IsIdentities);
        Assert.Equal(identities, target == Target.Identities);
    }
}
