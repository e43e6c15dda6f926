using CausalStream.Dashboard.Hosting;

namespace CausalStream.Dashboard.Tests.Hosting;

public sealed class BearerTokenTests
{
    [Theory]
    [InlineData("Bearer a-long-enough-token-1234", true)]
    [InlineData("bearer a-long-enough-token-1234", true)]
    [InlineData("Bearer  a-long-enough-token-1234 ", true)]
    [InlineData("Bearer a-long-enough-token-123", false)]
    [InlineData("Bearer a-long-enough-token-12345", false)]
    [InlineData("a-long-enough-token-1234", false)]
    [InlineData("Basic a-long-enough-token-1234", false)]
    [InlineData("Bearer ", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Matches_only_the_exact_bearer_token(string? header, bool expected)
    {
        Assert.Equal(expected, new BearerToken("a-long-enough-token-1234").Matches(header));
    }
}
