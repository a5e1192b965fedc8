using System.Text.Json;
using System.Text.Json.Nodes;

namespace IncidentService.Tests.Api;

/// <summary>
/// The OpenAPI document generated clients are built from: committed as docs/openapi.json (this test fails when the
/// service's document drifts from it), with real examples (checked against what the simulator serves). After an
/// intended change: <c>UPDATE_OPENAPI=1 dotnet test IncidentService.sln --filter OpenApiDocumentTests</c>, then review the diff.
/// </summary>
public sealed class OpenApiDocumentTests
{
    private static readonly bool Update = Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1";

    /// <summary>The documented deployment: both authentication schemes configured, so their answers are documented too.</summary>
    private static IncidentServiceFactory DocumentedService() => new(
        frozenTime: true,
        ("Auth:Jwt:Authority", "https://login.example.com/realms/corp"),
        ("Auth:Jwt:Audience", "incident-service"),
        ("Auth:ApiKeys:dashboard:Sha256", new string('0', 64)),
        ("Auth:ApiKeys:dashboard:Scopes", "incidents:read"));

    [Fact]
    public async Task The_committed_document_is_the_one_the_service_generates()
    {
        await using var factory = DocumentedService();
        using var client = factory.CreateClient();

        var generated = JsonNode.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"))!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

        var committed = Path.Combine(RepositoryRoot(), "docs", "openapi.json");
        if (Update)
        {
            await File.WriteAllTextAsync(committed, generated);
        }

        Assert.True(
            generated == await File.ReadAllTextAsync(committed),
            "docs/openapi.json differs from the service's document: run UPDATE_OPENAPI=1 dotnet test IncidentService.sln --filter OpenApiDocumentTests and review the diff.");
    }

    [Fact]
    public async Task The_examples_are_answers_of_the_simulator()
    {
        await using var factory = new IncidentServiceFactory();
        using var client = await factory.CreateReadyClientAsync();
        using var all = JsonDocument.Parse(await client.GetStringAsync("/incidents"));
        // An employee that shows the shape well: incidents in at least three priorities, from at least two feeds.
        var employee = all.RootElement.EnumerateObject().First(e =>
            e.Value.EnumerateObject().Count(p => p.Value.GetProperty("count").GetInt32() > 0) >= 3
            && e.Value.EnumerateObject().SelectMany(p => p.Value.GetProperty("incidents").EnumerateArray()).Select(i => i.GetProperty("type").GetString()).Distinct().Count() >= 2);
        var unresolved = JsonNode.Parse(await client.GetStringAsync("/incidents/unresolved"))!;
        var summary = JsonNode.Parse(await client.GetStringAsync("/incidents/summary"))!;
        var firstTwo = unresolved["incidents"]!.AsArray().Take(2).Select(i => i!.DeepClone()).ToArray();
        var employees = summary["employees"]!.AsObject().Take(2).Select(e => KeyValuePair.Create<string, JsonNode?>(e.Key, e.Value!.DeepClone())).ToArray();
        var expected = new JsonObject
        {
            ["employeeId"] = employee.Name,
            ["employee"] = JsonNode.Parse(employee.Value.GetRawText()),
            ["unresolved"] = new JsonObject { ["count"] = firstTwo.Length, ["incidents"] = new JsonArray(firstTwo) },
            ["summary"] = new JsonObject
            {
                ["total"] = summary["total"]!.DeepClone(),
                ["priorities"] = summary["priorities"]!.DeepClone(),
                ["feeds"] = summary["feeds"]!.DeepClone(),
                ["employees"] = new JsonObject(employees),
            },
        };

        var file = Path.Combine(RepositoryRoot(), "IncidentService.Api", "Hosting", "OpenApi", "examples.json");
        if (Update)
        {
            await File.WriteAllTextAsync(file, expected.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }

        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(await File.ReadAllTextAsync(file))), "the examples are not what the simulator serves: UPDATE_OPENAPI=1 rewrites them");
    }

    [Fact]
    public async Task Operations_have_ids_headers_and_statuses_and_what_is_always_there_is_required()
    {
        await using var factory = DocumentedService();
        using var client = factory.CreateClient();
        var document = JsonNode.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"))!;

        var operations = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => (Path: p.Key, Operation: o.Value!))).ToList();
        Assert.Equal(
            ["getEmployeeIncidents", "getIncidentSummary", "getStatus", "listIncidents", "listUnresolvedIncidents", "watchIncidentChanges"],
            operations.Select(o => o.Operation["operationId"]!.GetValue<string>()).Order());
        var byId = operations.ToDictionary(o => o.Operation["operationId"]!.GetValue<string>(), o => o.Operation);
        // 406: the stored representations (br, gzip, identity) are all refused by the Accept-Encoding sent.
        Assert.Equal(["200", "304", "400", "401", "403", "406", "429", "500", "503"], Statuses(byId["listIncidents"]));
        Assert.Equal(["200", "304", "400", "401", "403", "404", "406", "429", "500", "503"], Statuses(byId["getEmployeeIncidents"]));
        Assert.Equal(["200", "304", "401", "403", "406", "429", "500", "503"], Statuses(byId["listUnresolvedIncidents"]));
        Assert.Equal(["200", "304", "400", "401", "403", "429", "500", "503"], Statuses(byId["getIncidentSummary"]));
        Assert.Equal(["200", "401", "403", "429", "500"], Statuses(byId["getStatus"]));
        Assert.Equal(["200", "401", "403", "429", "500"], Statuses(byId["watchIncidentChanges"]));
        Assert.NotNull(byId["watchIncidentChanges"]["responses"]!["200"]!["content"]!["text/event-stream"]);
        foreach (var id in new[] { "listIncidents", "getEmployeeIncidents", "listUnresolvedIncidents", "getIncidentSummary" })
        {
            Assert.Equal(["Cache-Control", "ETag", "Last-Modified", "Missing-Feeds"], byId[id]["responses"]!["200"]!["headers"]!.AsObject().Select(h => h.Key).Order());
            Assert.NotNull(byId[id]["responses"]!["503"]!["headers"]!["Retry-After"]);
        }

        Assert.Equal(["priority", "since", "type", "until"], byId["listIncidents"]["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).Order());
        // Swagger UI's "Try it out" fills in a filter's example: the first try would be filtered (or refused).
        Assert.All(byId["listIncidents"]["parameters"]!.AsArray(), p => Assert.Null(p!["example"]));
        var schemas = document["components"]!["schemas"]!;
        Assert.Equal(["critical", "high", "low", "medium"], Required(schemas["EmployeeIncidents"]!));
        Assert.Equal(["count", "incidents"], Required(schemas["PriorityIncidents"]!));
        Assert.Equal(["changedEmployeeCount", "changedEmployees", "changedEmployeesCapped", "complete", "dataAsOf", "etag", "missingFeeds"], Required(schemas["SnapshotChangeEvent"]!));
        Assert.Null(schemas["PriorityIncidents"]!["properties"]!["incidents"]!["nullable"]);
        Assert.Equal(7, schemas["Incident"]!["oneOf"]!.AsArray().Count);
        Assert.Equal(["priority", "timestamp", "type"], Required(schemas["ProbingIncident"]!));
        Assert.True(schemas["FeedStatus"]!["properties"]!["lastError"]!["nullable"]!.GetValue<bool>());
        Assert.DoesNotContain("additionalProp1", document.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("SPEC", document.ToJsonString(), StringComparison.Ordinal);
    }

    private static IEnumerable<string> Statuses(JsonNode operation) => operation["responses"]!.AsObject().Select(r => r.Key).Order();

    private static IEnumerable<string> Required(JsonNode schema) => schema["required"]!.AsArray().Select(r => r!.GetValue<string>()).Order();

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "IncidentService.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("IncidentService.sln not found above the test's directory");
    }
}
