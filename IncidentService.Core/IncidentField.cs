namespace IncidentService.Core;

/// <summary>One field of an upstream incident, its value kept as the exact JSON text received.</summary>
public readonly record struct IncidentField(string Name, string RawJson);
