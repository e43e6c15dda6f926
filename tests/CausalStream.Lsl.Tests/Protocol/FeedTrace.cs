using System.Text;
using CausalStream.Core.Streams;
using CausalStream.Lsl.Protocol;

namespace CausalStream.Lsl.Tests.Protocol;

/// <summary>Decodes a recorded 1.10 feed response with the library's header parser and sample decoder.</summary>
internal sealed class FeedTrace
{
    public FeedTrace(byte[] bytes, ChannelFormat format, int channels, double srate)
    {
        int end = bytes.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
        HeaderLength = end;
        string[] lines = Encoding.ASCII.GetString(bytes, 0, end - 4).Split("\r\n");
        Header = LslFeedResponse.Parse(lines[0], lines[1..]);
        var decoder = new LslSampleDecoder(format, channels, srate, Header.ByteOrder == 4321, legacy: false);
        int pos = end;
        while (pos < bytes.Length)
        {
            double ts;
            int consumed;
            LslDecodeStatus status;
            object values;
            if (format == ChannelFormat.String)
            {
                var s = new string[channels];
                status = decoder.TryDecodeStrings(bytes.AsSpan(pos), s, out ts, out consumed);
                values = s;
            }
            else
            {
                var d = new double[channels];
                status = decoder.TryDecode(bytes.AsSpan(pos), d, out ts, out consumed);
                values = d;
            }

            if (status == LslDecodeStatus.NeedMoreData)
            {
                TruncatedTail = bytes.Length - pos;
                break;
            }

            Assert.True(status == LslDecodeStatus.Ok, decoder.LastError);
            Samples.Add((pos, bytes[pos], ts, values));
            pos += consumed;
        }
    }

    public int HeaderLength { get; }

    public LslFeedResponse Header { get; }

    public int TruncatedTail { get; }

    public List<(int Offset, byte Tag, double Timestamp, object Values)> Samples { get; } = [];
}
