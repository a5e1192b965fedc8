using IncidentService.Core;


namespace IncidentService.Tests.Core;

public sealed class FeedDefinitionTests
{
    [Fact]
    public void The_defaults_are_the_seven_feeds_of_the_spec_with_their_identity_fields()
    {
        Assert.Equal(
            [
                ("denial", "reported_by"),
                ("intrusion", "internal_ip"),
                ("executable", "machine_ip"),
                ("misuse", "employee_id"),
                ("unauthorized", "employee_id"),
                ("probing", "ip"),
                ("other", "identifier"),
            ],
            FeedDefinition.Defaults.Select(f => (f.Name, f.IdentityField)));
    }
}
