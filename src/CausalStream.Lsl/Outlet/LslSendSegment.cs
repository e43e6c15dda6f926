using CausalStream.Lsl.Protocol;

namespace CausalStream.Lsl.Outlet;

/// <summary>
/// Encoded bytes of one push (one or more samples) in one wire encoding, shared by every consumer that uses that
/// encoding and reference counted; the last release returns it to a pool with its buffer.
/// </summary>
internal sealed class LslSendSegment
{
    private const int MaxPooled = 1024;
    private const int MaxRetainedBytes = 1 << 20;
    private static readonly Stack<LslSendSegment> Pool = new();
    private int _references;

    private LslSendSegment()
    {
    }

    public LslByteBuffer Buffer { get; private set; } = new(256);

    public int SampleCount { get; set; }

    public static LslSendSegment Rent()
    {
        LslSendSegment? segment = null;
        lock (Pool)
        {
            if (Pool.Count > 0)
            {
                segment = Pool.Pop();
            }
        }

        segment ??= new LslSendSegment();
        segment.Buffer.Reset();
        segment.SampleCount = 0;
        segment._references = 1;
        return segment;
    }

    public LslSendSegment AddReference()
    {
        Interlocked.Increment(ref _references);
        return this;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) != 0)
        {
            return;
        }

        if (Buffer.WrittenSpan.Length > MaxRetainedBytes)
        {
            Buffer.Dispose();
            Buffer = new LslByteBuffer(256);
        }

        lock (Pool)
        {
            if (Pool.Count < MaxPooled)
            {
                Pool.Push(this);
            }
        }
    }
}
