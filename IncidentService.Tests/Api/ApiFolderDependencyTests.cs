using Xunit.Abstractions;

namespace IncidentService.Tests.Api;

/// <summary>
/// The Api's two sides meet at one port: the web side (Web/*) and the poller side (Poller/*) never name each other and
/// share only Snapshots; Hosting wires everything and is named by Program alone; no folder imports one that imports
/// it back. Read from the built assembly (<see cref="ApiFolderGraph"/>). The graph, with the types behind each edge:
/// <c>dotnet test IncidentService.Tests --filter ApiFolderDependencyTests.The_graph --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class ApiFolderDependencyTests(ITestOutputHelper output)
{
    private static readonly ApiFolderGraph Graph = ApiFolderGraph.Read(typeof(Program).Assembly.Location, Path.Combine(RepositoryRoot(), "IncidentService.Api"));

    [Fact]
    public void The_graph_is_printed_with_the_types_behind_each_edge()
    {
        output.WriteLine(Graph.Render(why: true));
        Assert.Contains("Hosting", Graph.Folders);
        Assert.Contains("Program", Graph.Folders);
        Assert.Contains("Snapshots", Graph.ImportsOf("Poller/Refresh"));
    }

    [Fact]
    public void No_folder_imports_one_that_imports_it_back()
    {
        var cycles = Graph.Cycles();
        Assert.True(cycles.Count == 0, "Folders importing each other: " + string.Join("; ", cycles.Select(c => string.Join(" ⇄ ", c))) + "\n" + Graph.Render(why: true));
    }

    [Theory]
    [InlineData("Web", "Poller")]
    [InlineData("Poller", "Web")]
    public void One_side_never_imports_the_other(string side, string other)
    {
        var crossings = Edges(Graph).Where(edge => InArea(edge.From, side) && InArea(edge.To, other)).ToList();
        Assert.True(crossings.Count == 0, $"{side} imports {other}: " + string.Join("; ", crossings.Select(Describe)));
    }

    [Fact]
    public void Only_Program_imports_Hosting()
    {
        var intruders = Edges(Graph).Where(edge => InArea(edge.To, "Hosting") && edge.From != "Program" && !InArea(edge.From, "Hosting")).ToList();
        Assert.True(intruders.Count == 0, "Hosting is the composition root, yet: " + string.Join("; ", intruders.Select(Describe)));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "IncidentService.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("IncidentService.sln not found above the test's directory");
    }

    private static IEnumerable<(string From, string To)> Edges(ApiFolderGraph graph) =>
        graph.Folders.SelectMany(from => graph.ImportsOf(from).Select(to => (from, to)));

    private static bool InArea(string folder, string area) => folder == area || folder.StartsWith(area + "/", StringComparison.Ordinal);

    private static string Describe((string From, string To) edge) =>
        $"{edge.From} → {edge.To} ({string.Join(", ", Graph.Edges[edge.From][edge.To])})";
}
