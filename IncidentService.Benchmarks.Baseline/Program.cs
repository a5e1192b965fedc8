// Kestrel with nothing else: every request gets the bytes of the file named by Body, or of Body.br when its
// Accept-Encoding names br, or of Body.gz when it names gzip (no q-values: wrk sends a plain "br" or "gzip"), written
// by the service's own
// SnapshotAnswer.WriteBodyAsync (the headers, then the body into one buffer of its length, one flush).
// scripts/bench-serve.sh runs it beside nginx and the service, so that a run tells the platform's share of a gap from
// the service's. No routing, access control, rate limit, metrics or logging: only what every ASP.NET Core app pays.
using IncidentService.Api.Web.Serving;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

var path = app.Configuration["Body"] is { Length: > 0 } configured
    ? configured
    : throw new InvalidOperationException("Body: the path of the file to serve is required.");
var identity = File.ReadAllBytes(path);
var gzip = File.ReadAllBytes(path + ".gz");
var brotli = File.Exists(path + ".br") ? File.ReadAllBytes(path + ".br") : null;

app.Run(async context =>
{
    var response = context.Response;
    var accept = context.Request.Headers.AcceptEncoding.ToString();
    var coding = brotli is not null && accept.Contains("br", StringComparison.OrdinalIgnoreCase) ? "br"
        : accept.Contains("gzip", StringComparison.OrdinalIgnoreCase) ? "gzip"
        : null;
    var body = coding switch { "br" => brotli!, "gzip" => gzip, _ => identity };
    response.ContentType = "application/json";
    response.ContentLength = body.Length;
    response.Headers.Vary = "Accept-Encoding";
    if (coding is not null)
    {
        response.Headers.ContentEncoding = coding;
    }

    await SnapshotAnswer.WriteBodyAsync(response, body, context.RequestAborted);
});
app.Run();
