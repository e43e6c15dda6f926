using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace CausalStream.Lsl.Transport;

/// <summary>
/// Receive buffer of one TCP connection: fills from the socket, hands out text lines (headers) and the raw
/// bytes that follow (samples), and counts consumed bytes so errors can name the offset in the connection.
/// Pooled storage, reused for the connection's lifetime.
/// </summary>
public sealed class LslReceiveBuffer : IDisposable
{
    private byte[] _buffer;
    private int _start;
    private int _end;

    public LslReceiveBuffer(int capacity = 64 * 1024)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(capacity);
    }

    /// <summary>Received bytes not consumed yet.</summary>
    public ReadOnlySpan<byte> Data => _buffer.AsSpan(_start, _end - _start);

    /// <summary>Number of bytes not consumed yet.</summary>
    public int Count => _end - _start;

    /// <summary>Offset of <see cref="Data"/>[0] from the start of the connection.</summary>
    public long Offset { get; private set; }

    /// <summary>Marks bytes as used.</summary>
    public void Consume(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        _start += count;
        Offset += count;
        if (_start == _end)
        {
            _start = 0;
            _end = 0;
        }
    }

    /// <summary>Reads more bytes from the socket (compacting or growing up to <paramref name="maxCapacity"/>); false at end of stream.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> FillAsync(Socket socket, CancellationToken cancellationToken, int maxCapacity = 64 * 1024 * 1024)
    {
        if (_start > 0 && (_end == _buffer.Length || _start > _buffer.Length / 2))
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= maxCapacity)
            {
                throw new InvalidOperationException($"receive buffer reached its limit of {maxCapacity} bytes");
            }

            var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(maxCapacity, _buffer.Length * 2));
            Buffer.BlockCopy(_buffer, _start, bigger, 0, _end - _start);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
            _end -= _start;
            _start = 0;
        }

        int read = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        _end += read;
        return read > 0;
    }

    /// <summary>Takes one line (ending in LF, a preceding CR dropped) if a whole line is buffered.</summary>
    public bool TryReadLine(out string line)
    {
        int newline = Data.IndexOf((byte)'\n');
        if (newline < 0)
        {
            line = string.Empty;
            return false;
        }

        int length = newline > 0 && Data[newline - 1] == (byte)'\r' ? newline - 1 : newline;
        line = Encoding.UTF8.GetString(Data[..length]);
        Consume(newline + 1);
        return true;
    }

    /// <summary>
    /// Reads one line, filling as needed; null at end of stream before a line end (the partial text stays in
    /// <see cref="Data"/>). Throws <see cref="InvalidDataException"/> when a line exceeds <paramref name="maxLength"/>.
    /// </summary>
    public async ValueTask<string?> ReadLineAsync(Socket socket, int maxLength, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryReadLine(out string line))
            {
                return line;
            }

            if (Count > maxLength)
            {
                throw new InvalidDataException($"line longer than {maxLength} bytes at byte {Offset}");
            }

            if (!await FillAsync(socket, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _start = _end = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
