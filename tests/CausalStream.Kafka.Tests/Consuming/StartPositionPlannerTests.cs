using CausalStream.Kafka.Consuming;
using Confluent.Kafka;

namespace CausalStream.Kafka.Tests.Consuming;

/// <summary>The start-position logic on its own (the mock cluster answers every time lookup with End).</summary>
public sealed class StartPositionPlannerTests
{
    private static readonly TopicPartition P0 = new("t", 0);
    private static readonly TopicPartition P1 = new("t", 1);

    [Fact]
    public void TimestampStartUsesTheLookedUpOffsetsAndTheEndWhereNothingIsAtOrAfterTheTime()
    {
        var time = DateTimeOffset.Parse("2026-01-02T03:04:05Z", System.Globalization.CultureInfo.InvariantCulture);
        var planner = new StartPositionPlanner(KafkaStartPosition.Timestamp, time);
        var queries = planner.TimestampQueries([P0, P1]);
        Assert.Equal(2, queries.Count);
        Assert.Equal(time.ToUnixTimeMilliseconds(), queries[0].Timestamp.UnixTimestampMs);

        var plan = planner.Plan([P0, P1], [new TopicPartitionOffset(P0, 17), new TopicPartitionOffset(P1, Offset.End)]);
        Assert.Equal(17, plan[0].Offset.Value);
        Assert.Equal(Offset.End, plan[1].Offset);

        // a later assignment (rebalance) continues from the group's commits and needs no lookup
        Assert.Empty(planner.TimestampQueries([P0]));
        Assert.Equal(Offset.Unset, planner.Plan([P0])[0].Offset);
    }

    [Theory]
    [InlineData(KafkaStartPosition.Earliest, -2)]
    [InlineData(KafkaStartPosition.Latest, -1)]
    [InlineData(KafkaStartPosition.Committed, -1001)]
    public void FirstAssignmentIsRepositionedOnlyOnce(KafkaStartPosition position, long expected)
    {
        var planner = new StartPositionPlanner(position);
        Assert.Equal(expected, planner.Plan([P0])[0].Offset.Value);
        Assert.Equal(Offset.Unset, planner.Plan([P0])[0].Offset);
        Assert.Equal(expected, planner.Plan([P1])[0].Offset.Value);
    }

    [Fact]
    public void TimestampWithoutTimeIsRefused()
        => Assert.Throws<ArgumentException>(() => new StartPositionPlanner(KafkaStartPosition.Timestamp));
}
