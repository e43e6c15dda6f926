namespace CausalStream.Dashboard.Tests;

public sealed class DashboardOptionsTests
{
    [Fact]
    public void Defaults_listen_on_loopback_with_controls_disabled()
    {
        var options = new DashboardOptions();
        options.Validate();
        Assert.Equal("http://127.0.0.1:5080", options.Url);
        Assert.Null(options.Token);
        Assert.False(new DashboardSink(options).ControlsEnabled);
    }

    [Fact]
    public void The_environment_variable_overrides_the_configured_token()
    {
        var options = new DashboardOptions { Token = "from-the-config-file-0001" };
        Assert.Equal("from-the-environment-0002", options.WithEnvironmentToken(name => name == DashboardOptions.TokenEnvironmentVariable ? "from-the-environment-0002" : null).Token);
        Assert.Equal("from-the-config-file-0001", options.WithEnvironmentToken(_ => string.Empty).Token);
        Assert.Equal("from-the-config-file-0001", options.WithEnvironmentToken(_ => null).Token);
    }

    [Theory]
    [InlineData("127.0.0.1:5080", "Url")]
    [InlineData("ftp://127.0.0.1:5080", "Url")]
    public void Bad_urls_are_named(string url, string field)
    {
        var error = Assert.Throws<ArgumentException>(() => new DashboardOptions { Url = url }.Validate());
        Assert.Equal(field, error.ParamName);
    }

    [Fact]
    public void Short_tokens_and_bad_capacities_are_refused()
    {
        Assert.Equal("Token", Assert.Throws<ArgumentException>(() => new DashboardOptions { Token = "short" }.Validate()).ParamName);
        Assert.Equal("CapacityPerClient", Assert.Throws<ArgumentException>(() => new DashboardOptions { CapacityPerClient = 0 }.Validate()).ParamName);
        new DashboardOptions { Token = string.Empty }.Validate();
    }
}
