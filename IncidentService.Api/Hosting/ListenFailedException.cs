namespace IncidentService.Api.Hosting;

/// <summary>The server could not listen; the message is the one line printed before the process exits with 1.</summary>
internal sealed class ListenFailedException(string message, Exception inner) : IOException(message, inner);
