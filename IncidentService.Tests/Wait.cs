namespace IncidentService.Tests;

/// <summary>Waits on a condition, never on a fixed sleep; the deadline only bounds a broken test.</summary>
internal static class Wait
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan? deadline = null)
    {
        using var timeout = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException("The condition did not hold before the deadline.");
            }

            await Task.Delay(10, CancellationToken.None);
        }
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan? deadline = null)
    {
        using var timeout = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException("The condition did not hold before the deadline.");
            }

            await Task.Delay(10, CancellationToken.None);
        }
    }
}
