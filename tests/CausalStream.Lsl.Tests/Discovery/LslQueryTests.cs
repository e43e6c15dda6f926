using System.Xml.Linq;
using CausalStream.Core.Streams;
using CausalStream.Lsl.Discovery;
using CausalStream.Lsl.Info;

namespace CausalStream.Lsl.Tests.Discovery;

public class LslQueryTests
{
    private static readonly LslStreamInfo Info = new()
    {
        Name = "CS-F32",
        Type = "EEG",
        ChannelCount = 8,
        Format = ChannelFormat.Float32,
        SourceId = "lslpeer-CS-F32",
        NominalSrate = 128,
        Uid = "u",
        SessionId = "default",
        Hostname = "vm",
        Desc = new XElement("desc", new XElement("channels", new XElement("channel", new XElement("label", "C3")), new XElement("channel", new XElement("label", "C4")))),
    };

    [Theory]
    [InlineData("", true)]
    [InlineData("session_id='default' and name='CS-F32'", true)]
    [InlineData("session_id='default' and name='CS-F33'", false)]
    [InlineData("type='EEG' and channel_count>1", true)]
    [InlineData("type=\"EEG\" and channel_count > 8", false)]
    [InlineData("channel_count>=8 and nominal_srate<=128", true)]
    [InlineData("channel_count='8' and name='CS-F32' and type='EEG' and source_id='lslpeer-CS-F32' and channel_format='float32'", true)]
    [InlineData("name='x' or source_id='lslpeer-CS-F32'", true)]
    [InlineData("not(type='EEG')", false)]
    [InlineData("(name='x' or name='CS-F32') and type!='Markers'", true)]
    [InlineData("starts-with(name,'CS-') and contains(source_id, 'F32')", true)]
    [InlineData("desc/channels/channel/label='C4'", true)]
    [InlineData("desc/channels/channel/label='Cz'", false)]
    [InlineData("nominal_srate=128", true)]
    [InlineData("missing_field='x'", false)]
    public void EvaluatesTheXPathSubset(string query, bool expected)
        => Assert.Equal(expected, LslQuery.Parse(query).Matches(Info));

    [Theory]
    [InlineData("name=")]
    [InlineData("name='unterminated")]
    [InlineData("name='a' and")]
    [InlineData("count(name)>1")]
    [InlineData("(name='a'")]
    public void InvalidQueriesAreRejectedWithAPosition(string query)
    {
        Assert.False(LslQuery.TryParse(query, out _, out string error));
        Assert.Contains("at character", error, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildsTheQueriesLiblslSends()
    {
        Assert.Equal("session_id='default' and name='CS-F32'", LslQuery.ByProperty("name", "CS-F32"));
        Assert.Equal("session_id='default' and type='EEG'", LslQuery.ByPredicate("type='EEG'"));
        Assert.Equal("session_id='lab'", LslQuery.ByPredicate(" ", "lab"));
        var rec = Info with { Name = "CS-Rec", SourceId = "lslpeer-CS-Rec", ChannelCount = 1 };
        Assert.Equal(
            "channel_count='1' and name='CS-Rec' and type='EEG' and source_id='lslpeer-CS-Rec' and channel_format='float32'",
            LslQuery.ForRecovery(rec));
    }
}
