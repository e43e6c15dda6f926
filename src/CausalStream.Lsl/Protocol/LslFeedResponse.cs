using System.Globalization;
using System.Text;
using CausalStream.Lsl.Info;

namespace CausalStream.Lsl.Protocol;

/// <summary>
/// The header an outlet answers a 1.10 feed request with (<c>LSL/110 200 OK</c>, UID, byte order, subnormal
/// handling, data protocol version), or an error status line (sent without CRLF and followed by close).
/// </summary>
public sealed record LslFeedResponse
{
    public int StatusCode { get; init; } = 200;

    public string StatusText { get; init; } = "OK";

    /// <summary>Version from the status line (<c>LSL/110</c>).</summary>
    public int Version { get; init; } = 110;

    public string Uid { get; init; } = string.Empty;

    /// <summary>Order of the binary data that follows: 1234 (little endian) or 4321 (big endian).</summary>
    public int ByteOrder { get; init; } = 1234;

    public bool SuppressSubnormals { get; init; }

    public int DataProtocolVersion { get; init; } = 110;

    /// <summary>The success header exactly as liblsl writes it.</summary>
    public string Write()
    {
        var sb = new StringBuilder(160);
        sb.Append("LSL/").Append(Version.ToString(CultureInfo.InvariantCulture)).Append(" 200 OK\r\n");
        sb.Append("UID: ").Append(Uid).Append("\r\n");
        sb.Append("Byte-Order: ").Append(ByteOrder.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        sb.Append("Suppress-Subnormals: ").Append(SuppressSubnormals ? '1' : '0').Append("\r\n");
        sb.Append("Data-Protocol-Version: ").Append(DataProtocolVersion.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        sb.Append("\r\n");
        return sb.ToString();
    }

    /// <summary>An error status line as liblsl sends it (no line end), e.g. <c>LSL/110 404 Not found</c>.</summary>
    public static string WriteError(int code, string text) => $"LSL/110 {code.ToString(CultureInfo.InvariantCulture)} {text}";

    /// <summary>Parses the status line and the header lines that follow it (up to the empty line).</summary>
    /// <exception cref="FormatException">The status line is not <c>LSL/&lt;version&gt; &lt;code&gt; &lt;text&gt;</c>.</exception>
    public static LslFeedResponse Parse(string statusLine, IEnumerable<string> headerLines)
    {
        ArgumentNullException.ThrowIfNull(statusLine);
        string[] parts = statusLine.Trim().Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3 || !parts[0].StartsWith("LSL/", StringComparison.Ordinal)
            || !LslNumberText.TryParseDouble(parts[0].AsSpan(4), out double version)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int code))
        {
            throw new FormatException($"feed reply status line '{Truncate(statusLine)}' is not 'LSL/<version> <code> <text>'");
        }

        var response = new LslFeedResponse { Version = (int)version, StatusCode = code, StatusText = parts[2] };
        foreach (string raw in headerLines ?? [])
        {
            string line = raw;
            int comment = line.IndexOf(';', StringComparison.Ordinal);
            if (comment >= 0)
            {
                line = line[..comment];
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            string key = line[..colon].Trim().ToLowerInvariant();
            string value = line[(colon + 1)..].Trim();
            double number = LslNumberText.TryParseDouble(value, out double n) ? n : double.NaN;
            response = key switch
            {
                "uid" => response with { Uid = value },
                "byte-order" when !double.IsNaN(number) => response with { ByteOrder = (int)number },
                "suppress-subnormals" => response with { SuppressSubnormals = value == "1" },
                "data-protocol-version" when !double.IsNaN(number) => response with { DataProtocolVersion = (int)number },
                _ => response,
            };
        }

        return response;
    }

    private static string Truncate(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
