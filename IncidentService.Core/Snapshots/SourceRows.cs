using IncidentService.Core.Parsing;

namespace IncidentService.Core.Snapshots;

/// <summary>
/// The incidents of a build's batches numbered one after another, so that the build holds one int per incident where
/// it places and sorts them, and reads what it needs from the batches' columns.
/// </summary>
internal sealed class SourceRows
{
    private readonly FeedIncidents[] _batches;
    private readonly int[] _starts;

    public SourceRows(IReadOnlyList<FeedBatch> batches)
    {
        _batches = [.. batches.Select(b => b.Incidents)];
        _starts = new int[_batches.Length + 1];
        for (var b = 0; b < _batches.Length; b++)
        {
            _starts[b + 1] = _starts[b] + _batches[b].Count;
        }
    }

    public int Count => _starts[^1];

    public decimal Timestamp(int row)
    {
        var batch = Batch(row);
        return _batches[batch].Timestamp(row - _starts[batch]);
    }

    public string Feed(int row) => _batches[Batch(row)].Feed;

    public ReadOnlySpan<byte> Json(int row)
    {
        var batch = Batch(row);
        return _batches[batch].Json(row - _starts[batch]).Span;
    }

    /// <summary>Which batch holds <paramref name="row"/>: a handful of feeds, so looked for from the last.</summary>
    private int Batch(int row)
    {
        var batch = _batches.Length - 1;
        while (_starts[batch] > row)
        {
            batch--;
        }

        return batch;
    }
}
