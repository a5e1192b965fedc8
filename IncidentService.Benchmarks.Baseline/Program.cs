// Kestrel with nothing else: every request gets the bytes of the file named by Body, or of Body.gz when its
// Accept-Encoding names gzip (no q-values: wrk sends a plain "gzip"), written by the service's own
// SnapshotAnswer.WriteBodyAsync (the headers, then the body into one buffer of its length, one flush).
// scripts/bench-serve.sh runs it beside nginx and the service, so that a run tells the platform's share of a gap from
// the service's. No routing, access control, rate limit, metrics or logging: only what every ASP.NET Core app pays.
using IncidentService.Api.Serving;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

var path = app.Configuration["Body"] is { Length: > 0 } configured
    ? configured
    : throw new InvalidOperationException("Body: the path of the file to serve is required.");
var identity = File.ReadAllBytes(path);
var gzip = File.ReadAllBytes(path + ".gz");

app.Run(async context =>
{
    var response = context.Response;
    var compressed = context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
    var body = compressed ? gzip : identity;
    response.ContentType = "application/json";
    response.ContentLength = body.Length;
    response.Headers.Vary = "Accept-Encoding";
    if (compressed)
    {
        response.Headers.ContentEncoding = "gzip";
    }

    await SnapshotAnswer.WriteBodyAsync(response, body, context.RequestAborted);
});
app.Run();
