using IncidentService.Core.Identities;
using IncidentService.Core.Parsing;


namespace IncidentService.Tests.Core;

public sealed class IdentityDirectoryTests
{
    [Fact]
    public void Maps_addresses_to_employees_and_counts_entries_it_cannot_use()
    {
        var directory = IdentityDirectory.Parse("""{"17.33.119.155": 386255, "17.33.119.156": "12", "nonsense": 1, "17.33.119.157": "x"}"""u8.ToArray());

        Assert.Equal(2, directory.Count);
        Assert.Equal(2, directory.SkippedEntries);
        Assert.True(directory.TryResolve("17.33.119.155", out var employee));
        Assert.Equal(386255, employee);
    }

    [Fact]
    public void An_answer_that_is_not_an_object_is_rejected()
    {
        Assert.Throws<FeedFormatException>(() => IdentityDirectory.Parse("[1,2]"u8.ToArray()));
    }
}
