namespace IncidentService.Upstream;

/// <summary>
/// One request at the upstream, from the gate slot it takes until the upstream is done with it: it answered in full,
/// or closed the connection, or the hold after this side gave up (<see cref="UpstreamOptions.AbandonedAttemptHold"/>)
/// passed — only then is the connection closed from here. The request runs on a token of its own, so giving up on it
/// (attempt timeout, caller cancellation, an oversized body) does not close the connection: a worker that does not
/// notice would go on with it unseen and the next request would land on top of it. The slot is released
/// when the exchange ends, never before.
/// </summary>
#pragma warning disable CA1001 // _end is never disposed on purpose (see there); nothing else here is disposable.
internal sealed class UpstreamExchange
#pragma warning restore CA1001
{
    private readonly Lock _sync = new();
    private readonly TaskCompletionSource<HttpResponseMessage> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Ends the request from this side: at the hold after giving up, or when the host stops. Never disposed, as a late
    // Abandon or End may still cancel it; it holds no timer once the exchange is over.
    private readonly CancellationTokenSource _end;
    private readonly IDisposable _slot;
    private readonly AbandonedAttempts _abandoned;
    private readonly TimeSpan _hold;
    private readonly long _limit;
    private bool _givenUp;
    private bool _finished;
    private TaskCompletionSource<HttpResponseMessage?>? _waiter;

    private UpstreamExchange(string target, IDisposable slot, AbandonedAttempts abandoned, UpstreamOptions options, TimeProvider time)
    {
        Target = target;
        _slot = slot;
        _abandoned = abandoned;
        _hold = options.AbandonedAttemptHold;
        _limit = options.MaxResponseBytes;
        _end = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
    }

    /// <summary>The request's absolute URL: attempts at the same URL are attempts at the same target.</summary>
    public string Target { get; }

    /// <summary>For the caller: the response with its body read (at most the limit), or the failure.</summary>
    public Task<HttpResponseMessage> Answer => _answer.Task;

    /// <summary>Sends <paramref name="request"/> through <paramref name="send"/> holding <paramref name="slot"/>, which it releases when the upstream is done.</summary>
    public static UpstreamExchange Start(
        HttpRequestMessage request,
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send,
        IDisposable slot,
        AbandonedAttempts abandoned,
        UpstreamOptions options,
        TimeProvider time)
    {
        var exchange = new UpstreamExchange(request.RequestUri?.AbsoluteUri ?? "", slot, abandoned, options, time);
        _ = exchange.RunAsync(request, send);
        return exchange;
    }

    /// <summary>
    /// The caller has gone. The request keeps its slot until the upstream is done with it, at most the hold; with no
    /// hold it ends now. The next attempt at the target may take its answer (<see cref="LateAnswerAsync"/>).
    /// </summary>
    public void Abandon() => GiveUp(null);

    /// <summary>Ends the request now, closing its connection (the host is stopping).</summary>
    public void End() => _end.Cancel();

    /// <summary>
    /// For the next attempt at the same target: waits until the upstream is done with this request and returns its
    /// answer, or null when it ended without one (a failure, an oversized body, cut at the hold): then ask anew.
    /// </summary>
    public async Task<HttpResponseMessage?> LateAnswerAsync(CancellationToken cancellationToken)
    {
        var mine = new TaskCompletionSource<HttpResponseMessage?>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_sync)
        {
            if (_finished)
            {
                return null;
            }

            _waiter?.TrySetResult(null); // only one attempt at a target runs at a time; the latest one is the one waiting
            _waiter = mine;
        }

        try
        {
            return await mine.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            lock (_sync)
            {
                if (_waiter == mine)
                {
                    _waiter = null;
                }
                else if (mine.Task.IsCompletedSuccessfully)
                {
                    mine.Task.Result?.Dispose(); // handed over just as this attempt gave up: nobody will read it
                }
            }

            throw;
        }
    }

    private async Task RunAsync(HttpRequestMessage request, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send)
    {
        HttpResponseMessage? answer = null;
        Exception? failure = null;
        try
        {
            answer = await ReceiveAsync(request, send);
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        // The upstream is done with it: free the slot before anyone hears, so the next attempt finds it free.
        _slot.Dispose();
        Finish(answer, failure);
    }

    private async Task<HttpResponseMessage> ReceiveAsync(HttpRequestMessage request, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send)
    {
        var response = await send(request, _end.Token);
        try
        {
            var body = await response.Content.ReadAsStreamAsync(_end.Token);
            if (await BoundedBody.ReadAsync(body, response.Content.Headers.ContentLength, _limit, _end.Token) is { } whole)
            {
                BoundedBody.Replace(response, whole);
                return response;
            }

            var tooLarge = new UpstreamResponseTooLargeException(_limit);
            if (_hold > TimeSpan.Zero)
            {
                // The caller hears now; the rest is read and dropped, so the upstream finishes sending it rather than
                // going on unseen, and the slot stays taken until it has.
                GiveUp(tooLarge);
                await BoundedBody.DrainAsync(body, _end.Token);
            }

            throw tooLarge;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private void GiveUp(Exception? toCaller)
    {
        var endNow = false;
        lock (_sync)
        {
            if (_finished)
            {
                // It ended just as the caller gave up: the answer is there, but nobody will read it.
                if (_answer.Task.IsCompletedSuccessfully)
                {
                    _answer.Task.Result.Dispose();
                }

                return;
            }

            if (_givenUp)
            {
                return; // the caller left earlier: nobody to tell
            }

            if (toCaller is not null)
            {
                _answer.SetException(toCaller);
            }

            _givenUp = true;
            if (_hold > TimeSpan.Zero)
            {
                _end.CancelAfter(_hold);
                endNow = !_abandoned.TryAdd(this); // refused once the host is stopping
            }
            else
            {
                endNow = true;
            }
        }

        if (endNow)
        {
            End(); // outside the lock: cancelling may run the end of the exchange on this thread
        }
    }

    private void Finish(HttpResponseMessage? answer, Exception? failure)
    {
        lock (_sync)
        {
            _finished = true;
            _abandoned.Remove(this); // an attempt arriving from now on asks anew rather than wait for a finished one
            _end.CancelAfter(Timeout.InfiniteTimeSpan); // the hold's timer, if any, is not needed any more
            if (!_givenUp)
            {
                if (answer is not null)
                {
                    _answer.TrySetResult(answer);
                }
                else
                {
                    _answer.TrySetException(failure!);
                }

                return;
            }

            // The caller has gone: the attempt at the same target waiting for it, if any, takes the answer.
            var waiter = _waiter;
            _waiter = null;
            if (waiter is null || !waiter.TrySetResult(answer))
            {
                answer?.Dispose();
            }
        }
    }
}
