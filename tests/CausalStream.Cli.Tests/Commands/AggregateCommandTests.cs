using CausalStream.Cli.Commands;

namespace CausalStream.Cli.Tests.Commands;

/// <summary>Command-line checks of <c>causalstream aggregate</c> (the merge itself is tested on the Kafka mock cluster).</summary>
public sealed class AggregateCommandTests
{
    [Theory]
    [InlineData(new[] { "--out", "b", "--shards", "2" }, "--in is required")]
    [InlineData(new[] { "--in", "a", "--shards", "2" }, "--out is required")]
    [InlineData(new[] { "--in", "a", "--out", "b" }, "--shards is required")]
    [InlineData(new[] { "--in", "a", "--out", "b", "--shards", "1" }, "at least 2, got '1'")]
    [InlineData(new[] { "--in", "a", "--out", "a", "--shards", "2" }, "must be different topics")]
    [InlineData(new[] { "--in", "a", "--out", "b", "--shards", "2", "extra" }, "unexpected argument 'extra'")]
    public async Task BadCommandLinesAreUsageErrors(string[] args, string message)
    {
        var error = await Assert.ThrowsAsync<UsageException>(() => AggregateCommand.ExecuteAsync(args, TextWriter.Null, TextWriter.Null, CancellationToken.None));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableBrokerIsAnErrorNotAHang()
    {
        var errors = new StringWriter();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        int code = await AggregateCommand.ExecuteAsync(["--in", "a", "--out", "b", "--shards", "2", "--bootstrap", "127.0.0.1:1"], TextWriter.Null, errors, cancel.Token);
        Assert.Equal(1, code);
        Assert.Contains("127.0.0.1:1", errors.ToString(), StringComparison.Ordinal);
    }
}
