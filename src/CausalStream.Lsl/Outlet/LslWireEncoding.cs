namespace CausalStream.Lsl.Outlet;

/// <summary>How a consumer wants its samples encoded: protocol 1.10 little or big endian, or the legacy 1.00 archive.</summary>
internal enum LslWireEncoding
{
    LittleEndian = 0,
    BigEndian = 1,
    Legacy = 2,
}
