using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CausalStream.Core.Stimulation;

namespace CausalStream.Cli.Stimulation;

/// <summary>
/// Sends each stimulation command as one JSON line in one UDP datagram to a custom controller:
/// <c>{"channel":0,"amplitude":2,"durationSeconds":0.004,"issuedAt":12.5,"reason":"theta"}</c>.
/// The send is synchronous and non-blocking for UDP, so it sits directly on the trigger path.
/// </summary>
public sealed class UdpStimulationOutput : IStimulationReceiver, IDisposable
{
    private readonly Socket _socket;
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly Utf8JsonWriter _json;
    private readonly object _gate = new();
    private long _sent;
    private long _failed;

    public UdpStimulationOutput(IPEndPoint target)
    {
        Target = target;
        _socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Connect(target);
        _json = new Utf8JsonWriter(_buffer);
    }

    public IPEndPoint Target { get; }

    public long Sent => Interlocked.Read(ref _sent);

    public long Failed => Interlocked.Read(ref _failed);

    public bool TryDeliver(StimulationCommand command)
    {
        lock (_gate)
        {
            _buffer.ResetWrittenCount();
            _json.Reset();
            _json.WriteStartObject();
            _json.WriteNumber("channel", command.Channel);
            _json.WriteNumber("amplitude", command.Amplitude);
            _json.WriteNumber("durationSeconds", command.DurationSeconds);
            _json.WriteNumber("issuedAt", command.IssuedAt);
            _json.WriteString("reason", command.Reason);
            _json.WriteEndObject();
            _json.Flush();
            _buffer.GetSpan(1)[0] = (byte)'\n';
            _buffer.Advance(1);
            try
            {
                _socket.Send(_buffer.WrittenSpan);
                Interlocked.Increment(ref _sent);
                return true;
            }
            catch (SocketException)
            {
                Interlocked.Increment(ref _failed);
                return false;
            }
        }
    }

    public void Dispose()
    {
        _json.Dispose();
        _socket.Dispose();
    }
}
