using CausalStream.Kafka.Consuming;
using Confluent.Kafka;

namespace CausalStream.Kafka.Tests.Consuming;

public sealed class OffsetCommitTrackerTests
{
    private static readonly TopicPartition P0 = new("t", 0);

    [Fact]
    public void OffsetsAdvanceOnlyPastChunksEntirelyBeforeThePublishedWindow()
    {
        var tracker = new OffsetCommitTracker();
        tracker.AwaitResultsOf("a");
        tracker.Track(P0, 10, "a", 0.0, 0.9, 1);
        tracker.Track(P0, 11, "a", 1.0, 1.9, 2);
        tracker.Track(P0, 12, "a", 2.0, 2.9, 3);
        Assert.Empty(tracker.TakeCommits([P0]));

        tracker.MarkPublished("a", 1.5); // window starting inside chunk 11: resume there
        var commits = tracker.TakeCommits([P0]);
        Assert.Equal(11, Assert.Single(commits).Offset.Value);
        Assert.Empty(tracker.TakeCommits([P0]));
        Assert.True(tracker.TryFindSequence("a", 2.5, out long sequence));
        Assert.Equal(3, sequence);
    }

    [Fact]
    public void OtherStreamsAndDeadLettersDoNotHoldCommitsBackOnceReleased()
    {
        var tracker = new OffsetCommitTracker();
        tracker.Track(P0, 0, "unanalysed", 0, 1, 1);
        var letter = tracker.Track(P0, 1, null, double.NaN, double.NaN, 0, holdUntilReleased: true);
        Assert.Equal(1, Assert.Single(tracker.TakeCommits()).Offset.Value);
        tracker.Release(letter);
        Assert.Equal(2, Assert.Single(tracker.TakeCommits()).Offset.Value);
    }

    [Fact]
    public void FailedCommitsAreReturnedAgain()
    {
        var tracker = new OffsetCommitTracker();
        tracker.Track(P0, 5, null, double.NaN, double.NaN, 0);
        var commits = tracker.TakeCommits();
        tracker.Requeue(commits);
        Assert.Equal(6, Assert.Single(tracker.TakeCommits()).Offset.Value);
    }
}
