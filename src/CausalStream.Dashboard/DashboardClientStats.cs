namespace CausalStream.Dashboard;

/// <summary>One connected browser's live-feed counters: events queued for it, sent to it and dropped because it fell behind.</summary>
/// <param name="Id">Connection number, from 1.</param>
/// <param name="Remote">Remote address and port.</param>
/// <param name="ConnectedSeconds">Seconds since it connected.</param>
/// <param name="Queued">Events waiting in its queue.</param>
/// <param name="Sent">Events written to its connection.</param>
/// <param name="Dropped">Events dropped (oldest first) because its queue was full.</param>
public sealed record DashboardClientStats(long Id, string Remote, double ConnectedSeconds, int Queued, long Sent, long Dropped);
