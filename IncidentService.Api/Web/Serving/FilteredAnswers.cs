namespace IncidentService.Api.Web.Serving;

/// <summary>
/// The answers built on request from one snapshot — a view under a filter — kept for as long as the snapshot is
/// served, so asking again costs what a lookup costs. Bounded by count and by bytes (identity bytes plus a quarter
/// for compressed bodies made later): when full, the oldest entries go first; an answer larger than the whole bound
/// is served and not kept. The same key asked for at once is built once.
/// </summary>
public sealed class FilteredAnswers(int maxCount, long maxBytes)
{
    private readonly Dictionary<FilteredKey, Entry> _answers = [];
    private readonly Queue<(FilteredKey Key, Entry Entry)> _order = new();
    private readonly Lock _lock = new();
    private long _bytes;

    /// <summary>Answers kept (or being built).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _answers.Count;
            }
        }
    }

    /// <summary>Bytes kept, as counted against the bound.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    public bool TryGet(FilteredKey key, out Representation answer)
    {
        lock (_lock)
        {
            if (_answers.TryGetValue(key, out var kept) && kept.Answer.IsValueCreated)
            {
                answer = kept.Answer.Value;
                return true;
            }
        }

        answer = null!;
        return false;
    }

    /// <summary>The kept answer, or the one <paramref name="build"/> makes now, kept if it fits.</summary>
    public Representation GetOrBuild(FilteredKey key, Func<Representation> build)
    {
        Entry entry;
        lock (_lock)
        {
            if (!_answers.TryGetValue(key, out entry!))
            {
                entry = new Entry(new Lazy<Representation>(build, LazyThreadSafetyMode.ExecutionAndPublication));
                _answers[key] = entry;
                _order.Enqueue((key, entry));
            }
        }

        Representation answer;
        try
        {
            answer = entry.Answer.Value;
        }
        catch
        {
            lock (_lock)
            {
                Remove(key, entry);
            }

            throw;
        }

        Account(key, entry, answer);
        return answer;
    }

    private void Account(FilteredKey key, Entry entry, Representation answer)
    {
        lock (_lock)
        {
            if (entry.Cost > 0 || !_answers.TryGetValue(key, out var kept) || !ReferenceEquals(kept, entry))
            {
                return; // counted by another caller, or evicted meanwhile
            }

            entry.Cost = answer.IdentityLength + (answer.IdentityLength / 4) + 1;
            _bytes += entry.Cost;
            // Oldest first; the entry just counted goes last, and alone it fits the count.
            while ((_bytes > maxBytes || _answers.Count > maxCount) && _order.TryDequeue(out var oldest))
            {
                Remove(oldest.Key, oldest.Entry);
            }
        }
    }

    private void Remove(FilteredKey key, Entry entry)
    {
        if (_answers.TryGetValue(key, out var kept) && ReferenceEquals(kept, entry))
        {
            _answers.Remove(key);
            _bytes -= entry.Cost;
        }
    }

    private sealed class Entry(Lazy<Representation> answer)
    {
        public Lazy<Representation> Answer { get; } = answer;

        /// <summary>Bytes counted against the bound; 0 until built.</summary>
        public long Cost { get; set; }
    }
}

/// <summary>A view and the normalised text of its filter.</summary>
public readonly record struct FilteredKey(FilteredView View, string Filter);
