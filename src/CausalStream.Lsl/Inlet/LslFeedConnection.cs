using System.Net;
using System.Net.Sockets;
using System.Text;
using CausalStream.Core.Streams;
using CausalStream.Lsl.Info;
using CausalStream.Lsl.Protocol;
using CausalStream.Lsl.Transport;

namespace CausalStream.Lsl.Inlet;

/// <summary>
/// One open data connection of an inlet: the socket, its receive buffer and the sample decoder, after the
/// request was sent, the reply header (or legacy archive head) checked and both test-pattern samples validated.
/// </summary>
internal sealed class LslFeedConnection : IDisposable
{
    private const int MaxHeaderLine = 4096;

    private LslFeedConnection(Socket socket, LslReceiveBuffer buffer, LslSampleDecoder decoder, int dataProtocol)
    {
        Socket = socket;
        Buffer = buffer;
        Decoder = decoder;
        DataProtocol = dataProtocol;
    }

    public Socket Socket { get; }

    public LslReceiveBuffer Buffer { get; }

    public LslSampleDecoder Decoder { get; }

    public int DataProtocol { get; }

    /// <summary>Connects to the stream's data port and completes the handshake in <paramref name="protocol"/> (110 or 100).</summary>
    /// <exception cref="LslProtocolException">The outlet refused the feed or sent malformed data.</exception>
    /// <exception cref="LslLegacyFallbackException">The outlet did not answer the 1.10 request.</exception>
    public static async Task<LslFeedConnection> OpenAsync(LslStreamInfo info, LslInletOptions options, int protocol, CancellationToken cancellationToken)
    {
        var address = info.V4Address.Length > 0 ? IPAddress.Parse(info.V4Address) : IPAddress.Loopback;
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var buffer = new LslReceiveBuffer();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ConnectTimeout);
            var token = timeout.Token;
            await socket.ConnectAsync(new IPEndPoint(address, info.V4DataPort), token).ConfigureAwait(false);
            LslKeepAlive.Enable(socket);
            string name = info.Name;
            int maxBuffer = (int)Math.Min(int.MaxValue, options.MaxBufferSeconds * (info.NominalSrate > 0 ? info.NominalSrate : 100));
            bool bigEndian = false;
            bool legacy = protocol < 110;
            bool suppress = false;
            int dataProtocol = protocol;
            if (!legacy)
            {
                var request = new LslFeedRequest
                {
                    Uid = info.Uid,
                    ByteOrder = options.RequestedByteOrder,
                    EndianPerformance = options.EndianPerformance,
                    SupportsSubnormals = LslChannelFormats.HasSubnormals(info.Format),
                    ValueSize = info.Format == ChannelFormat.String ? LslChannelFormats.StringValueSizeHeader : LslChannelFormats.ValueSize(info.Format),
                    MaxBufferLength = maxBuffer,
                    MaxChunkLength = options.MaxChunkLength,
                    Hostname = Dns.GetHostName(),
                    SourceId = info.SourceId,
                    SessionId = info.SessionId,
                };
                await socket.SendAsync(Encoding.ASCII.GetBytes(request.Write()), SocketFlags.None, token).ConfigureAwait(false);
                string? status = await buffer.ReadLineAsync(socket, MaxHeaderLine, token).ConfigureAwait(false);
                if (status is null)
                {
                    if (buffer.Count == 0)
                    {
                        throw new LslLegacyFallbackException($"outlet of '{name}' closed the connection without answering the 1.10 feed request");
                    }

                    status = Encoding.ASCII.GetString(buffer.Data);
                    buffer.Consume(buffer.Count);
                }

                var headers = new List<string>();
                if (status.StartsWith("LSL/", StringComparison.Ordinal) && status.Contains(" 200", StringComparison.Ordinal))
                {
                    while (true)
                    {
                        string? header = await buffer.ReadLineAsync(socket, MaxHeaderLine, token).ConfigureAwait(false)
                            ?? throw new LslProtocolException(name, buffer.Offset, "connection closed inside the feed reply header");
                        if (header.Length == 0)
                        {
                            break;
                        }

                        if (headers.Count > 100)
                        {
                            throw new LslProtocolException(name, buffer.Offset, "feed reply header has more than 100 lines");
                        }

                        headers.Add(header);
                    }
                }

                LslFeedResponse response;
                try
                {
                    response = LslFeedResponse.Parse(status, headers);
                }
                catch (FormatException ex)
                {
                    throw new LslProtocolException(name, 0, ex.Message, ex);
                }

                if (response.StatusCode == 505)
                {
                    throw new LslLegacyFallbackException($"outlet of '{name}' answered {response.StatusCode} {response.StatusText}");
                }

                if (response.StatusCode >= 300)
                {
                    throw new LslProtocolException(name, 0, $"outlet refused the feed: {response.StatusCode} {response.StatusText}");
                }

                if (response.Uid.Length > 0 && response.Uid != info.Uid)
                {
                    throw new LslProtocolException(name, 0, $"feed reply is for UID {response.Uid}, expected {info.Uid}");
                }

                if (response.ByteOrder is not (0 or 1234 or 4321))
                {
                    throw new LslProtocolException(name, 0, $"feed reply announces unsupported byte order {response.ByteOrder}");
                }

                if (response.DataProtocolVersion > LslStreamInfo.CurrentVersion)
                {
                    throw new LslProtocolException(name, 0, $"feed reply announces data protocol {response.DataProtocolVersion}, newer than {LslStreamInfo.CurrentVersion}");
                }

                bigEndian = response.ByteOrder == 4321;
                suppress = response.SuppressSubnormals;
                dataProtocol = response.DataProtocolVersion;
                legacy = dataProtocol < 110;
            }
            else
            {
                var request = new LslFeedRequest { Version = 100, MaxBufferLength = maxBuffer, MaxChunkLength = options.MaxChunkLength };
                await socket.SendAsync(Encoding.ASCII.GetBytes(request.Write()), SocketFlags.None, token).ConfigureAwait(false);
            }

            if (legacy)
            {
                await ReadLegacyHeadAsync(socket, buffer, info, token).ConfigureAwait(false);
            }

            var decoder = new LslSampleDecoder(info.Format, info.ChannelCount, info.NominalSrate, bigEndian, legacy, options.MaxStringBytes) { SuppressSubnormals = suppress };
            await ValidateTestPatternsAsync(socket, buffer, decoder, info, token).ConfigureAwait(false);
            decoder.LastTimestamp = 0;
            return new LslFeedConnection(socket, buffer, decoder, legacy ? 100 : dataProtocol);
        }
        catch
        {
            socket.Dispose();
            buffer.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            Socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }

        Socket.Dispose();
        Buffer.Dispose();
    }

    /// <summary>Fetches the full stream info (with <c>desc</c>) over a separate TCP connection.</summary>
    public static async Task<LslStreamInfo> FetchFullInfoAsync(LslStreamInfo info, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var address = info.V4Address.Length > 0 ? IPAddress.Parse(info.V4Address) : IPAddress.Loopback;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var buffer = new LslReceiveBuffer(8192);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        await socket.ConnectAsync(new IPEndPoint(address, info.V4DataPort), cts.Token).ConfigureAwait(false);
        await socket.SendAsync("LSL:fullinfo\r\n"u8.ToArray(), SocketFlags.None, cts.Token).ConfigureAwait(false);
        while (await buffer.FillAsync(socket, cts.Token, LslInfoXml.MaxDocumentChars + 1).ConfigureAwait(false))
        {
            if (buffer.Count > LslInfoXml.MaxDocumentChars)
            {
                throw new LslProtocolException(info.Name, buffer.Count, "fullinfo reply exceeds the size limit");
            }
        }

        var full = LslInfoXml.Parse(buffer.Data, info.Name);
        return full with { V4Address = info.V4Address };
    }

    private static async Task ReadLegacyHeadAsync(Socket socket, LslReceiveBuffer buffer, LslStreamInfo info, CancellationToken token)
    {
        while (true)
        {
            var status = LslPortableArchive.TryReadFeedHeader(buffer.Data, LslInfoXml.MaxDocumentChars, out var xml, out int consumed, out string error, out int errorOffset);
            if (status == LslDecodeStatus.Ok)
            {
                var embedded = LslInfoXml.Parse(xml, info.Name, buffer.Offset + consumed - xml.Length - 2);
                if (embedded.Uid != info.Uid)
                {
                    throw new LslProtocolException(info.Name, buffer.Offset, $"legacy feed carries UID {embedded.Uid}, expected {info.Uid}");
                }

                buffer.Consume(consumed);
                return;
            }

            if (status == LslDecodeStatus.Invalid)
            {
                throw new LslProtocolException(info.Name, buffer.Offset + errorOffset, error);
            }

            if (!await buffer.FillAsync(socket, token).ConfigureAwait(false))
            {
                throw new LslProtocolException(info.Name, buffer.Offset + buffer.Count, "connection closed inside the legacy feed header");
            }
        }
    }

    private static async Task ValidateTestPatternsAsync(Socket socket, LslReceiveBuffer buffer, LslSampleDecoder decoder, LslStreamInfo info, CancellationToken token)
    {
        int channels = info.ChannelCount;
        var values = new double[channels];
        var expected = new double[channels];
        var strings = new string[channels];
        string[] expectedStrings = info.Format == ChannelFormat.String ? LslTestPattern.Strings(channels) : [];
        for (int i = 0; i < 2; i++)
        {
            int offset = i == 0 ? LslTestPattern.FirstOffset : LslTestPattern.SecondOffset;
            while (true)
            {
                long sampleStart = buffer.Offset;
                double ts;
                int consumed;
                var status = info.Format == ChannelFormat.String
                    ? decoder.TryDecodeStrings(buffer.Data, strings, out ts, out consumed)
                    : decoder.TryDecode(buffer.Data, values, out ts, out consumed);
                if (status == LslDecodeStatus.Invalid)
                {
                    throw new LslProtocolException(info.Name, sampleStart + decoder.LastErrorOffset, $"test-pattern sample {i + 1}: {decoder.LastError}");
                }

                if (status == LslDecodeStatus.NeedMoreData)
                {
                    if (!await buffer.FillAsync(socket, token).ConfigureAwait(false))
                    {
                        throw new LslProtocolException(info.Name, buffer.Offset + buffer.Count, $"connection closed inside test-pattern sample {i + 1} (truncated sample)");
                    }

                    continue;
                }

                if (ts != LslTestPattern.Timestamp)
                {
                    throw new LslProtocolException(info.Name, sampleStart, $"test-pattern sample {i + 1} has timestamp {ts}, expected {LslTestPattern.Timestamp}");
                }

                if (info.Format == ChannelFormat.String)
                {
                    for (int k = 0; k < channels; k++)
                    {
                        if (strings[k] != expectedStrings[k])
                        {
                            throw new LslProtocolException(info.Name, sampleStart, $"test-pattern sample {i + 1}, channel {k}: expected '{expectedStrings[k]}', got '{strings[k]}'");
                        }
                    }
                }
                else
                {
                    LslTestPattern.Fill(info.Format, offset, expected);
                    for (int k = 0; k < channels; k++)
                    {
                        if (values[k] != expected[k])
                        {
                            throw new LslProtocolException(info.Name, sampleStart, $"test-pattern sample {i + 1}, channel {k}: expected {expected[k]}, got {values[k]} (wrong test pattern)");
                        }
                    }
                }

                buffer.Consume(consumed);
                break;
            }
        }
    }
}
