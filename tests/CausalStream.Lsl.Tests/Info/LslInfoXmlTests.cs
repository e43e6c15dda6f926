using System.Text;
using System.Xml.Linq;
using CausalStream.Core.Streams;
using CausalStream.Lsl.Info;
using CausalStream.Lsl.Protocol;

namespace CausalStream.Lsl.Tests.Info;

public class LslInfoXmlTests
{
    [Fact]
    public void FullInfoTraceParsesToTheListedFields()
    {
        var info = LslInfoXml.Parse(TraceFixture.Bytes("fullinfo_response.bin"), "trace");
        Assert.Equal("CS-F32", info.Name);
        Assert.Equal("EEG", info.Type);
        Assert.Equal(8, info.ChannelCount);
        Assert.Equal(ChannelFormat.Float32, info.Format);
        Assert.Equal("lslpeer-CS-F32", info.SourceId);
        Assert.Equal(128.0, info.NominalSrate);
        Assert.Equal(110, info.Version);
        Assert.Equal(950.494207953, info.CreatedAt);
        Assert.Equal("25c2ed55-d896-4f26-b6d6-05a77051b1f0", info.Uid);
        Assert.Equal("default", info.SessionId);
        Assert.Equal("vm", info.Hostname);
        Assert.Equal(string.Empty, info.V4Address);
        Assert.Equal(16573, info.V4DataPort);
        Assert.Equal(16572, info.V4ServicePort);
        Assert.Equal(16574, info.V6DataPort);
        Assert.Equal(16573, info.V6ServicePort);
    }

    [Fact]
    public void WritingTheParsedInfoReproducesTheTraceBytes()
    {
        byte[] trace = TraceFixture.Bytes("fullinfo_response.bin");
        var info = LslInfoXml.Parse(trace, "trace");
        Assert.Equal(Encoding.UTF8.GetString(trace), LslInfoXml.WriteFullInfo(info));
        Assert.Equal(Encoding.UTF8.GetString(trace), LslInfoXml.WriteShortInfo(info));
    }

    [Fact]
    public void TcpShortInfoTraceRoundTrips()
    {
        string trace = TraceFixture.Text("tcp_shortinfo_response.bin");
        var info = LslInfoXml.Parse(trace, "trace");
        Assert.Equal("CS-Probe", info.Name);
        Assert.Equal("12f78c5c-4862-426f-bfc3-ec6844fa8a14", info.Uid);
        Assert.Equal(trace, LslInfoXml.WriteShortInfo(info));
    }

    [Theory]
    [InlineData(128.0, "128.0000000000000")]
    [InlineData(1.1, "1.100000000000000")]
    [InlineData(950.494207953, "950.4942079530000")]
    [InlineData(0.0, "0.000000000000000")]
    [InlineData(1e20, "1.000000000000000e+20")]
    [InlineData(0.5, "0.5000000000000000")]
    public void InfoDoublesHave16SignificantDigits(double value, string expected)
        => Assert.Equal(expected, LslNumberText.FormatInfoDouble(value));

    [Theory]
    [InlineData(2130180.0, "2.13018e+06")]
    [InlineData(817152.0, "817152")]
    [InlineData(0.0, "0")]
    public void HeaderDoublesUseTheDefaultFormat(double value, string expected)
        => Assert.Equal(expected, LslNumberText.FormatDefaultDouble(value));

    [Fact]
    public void DescWithChannelsIsKeptAndWrittenPugixmlStyle()
    {
        var stream = new StreamInfo("EEG-1", "EEG", "amp-42", 2, 500, ChannelFormat.Float32, ["C3", "C4"], ["uV", "uV"]);
        var info = LslStreamInfo.FromStreamInfo(stream, ["EEG", "EEG"]) with { Uid = "u-1", CreatedAt = 12.5, Hostname = "h" };
        string xml = LslInfoXml.WriteFullInfo(info);
        Assert.Contains("\t<desc>\n\t\t<channels>\n\t\t\t<channel>\n\t\t\t\t<label>C3</label>\n\t\t\t\t<unit>uV</unit>\n\t\t\t\t<type>EEG</type>\n\t\t\t</channel>\n", xml, StringComparison.Ordinal);
        Assert.EndsWith("\t\t</channels>\n\t</desc>\n</info>\n", xml, StringComparison.Ordinal);
        var back = LslInfoXml.Parse(xml, "test");
        Assert.Equal(["C3", "C4"], back.ChannelLabels);
        Assert.Equal(["uV", "uV"], back.ChannelUnits);
        Assert.Equal(["EEG", "EEG"], back.ChannelTypes);
        Assert.Equal(xml, LslInfoXml.WriteFullInfo(back));
        Assert.Contains("<desc />", LslInfoXml.WriteShortInfo(back), StringComparison.Ordinal);
        var core = back.ToStreamInfo();
        Assert.Equal(["C3", "C4"], core.ChannelLabels);
        Assert.Equal(500, core.NominalRate);
    }

    [Fact]
    public void SpecialCharactersAreEscaped()
    {
        var info = new LslStreamInfo { Name = "a<b&c>", ChannelCount = 1, Uid = "u", Desc = new XElement("desc", new XElement("note", new XAttribute("q", "\"x\""), "1 < 2")) };
        string xml = LslInfoXml.WriteFullInfo(info);
        Assert.Contains("<name>a&lt;b&amp;c&gt;</name>", xml, StringComparison.Ordinal);
        Assert.Contains("<note q=\"&quot;x&quot;\">1 &lt; 2</note>", xml, StringComparison.Ordinal);
        Assert.Equal("a<b&c>", LslInfoXml.Parse(xml, "t").Name);
    }

    [Fact]
    public void EntityExpansionIsRefused()
    {
        const string hostile = """
            <?xml version="1.0"?>
            <!DOCTYPE info [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
            <info><name>&c;</name></info>
            """;
        var ex = Assert.Throws<LslProtocolException>(() => LslInfoXml.Parse(hostile, "peer 127.0.0.1:1", 100));
        Assert.Contains("DTD", ex.Message, StringComparison.Ordinal);
        Assert.Contains("peer 127.0.0.1:1", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.ByteOffset >= 100);
    }

    [Theory]
    [InlineData("<info><name>x</name>", "malformed")]
    [InlineData("<other/>", "root element")]
    [InlineData("<info><name></name></info>", "empty <name>")]
    [InlineData("<info><name>x</name><channel_count>2</channel_count><channel_format>float99</channel_format><nominal_srate>1</nominal_srate><version>1.1</version><uid>u</uid></info>", "channel_format")]
    [InlineData("<info><name>x</name><channel_count>-2</channel_count><channel_format>float32</channel_format><nominal_srate>1</nominal_srate><version>1.1</version><uid>u</uid></info>", "channel_count")]
    [InlineData("<info><name>x</name><channel_count>2</channel_count><channel_format>float32</channel_format><nominal_srate>1</nominal_srate><version>1.1</version><uid></uid></info>", "uid")]
    [InlineData("<info><name>x</name><channel_count>2</channel_count><channel_format>float32</channel_format><nominal_srate>1</nominal_srate><version>1.1</version><uid>u</uid><v4data_port>70000</v4data_port></info>", "v4data_port")]
    public void MalformedInfoIsRejectedWithAReason(string xml, string reason)
    {
        var ex = Assert.Throws<LslProtocolException>(() => LslInfoXml.Parse(xml, "test-stream"));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Contains("test-stream", ex.Message, StringComparison.Ordinal);
    }
}
