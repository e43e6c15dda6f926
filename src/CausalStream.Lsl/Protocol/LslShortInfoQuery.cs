using System.Globalization;
using System.Text;
using CausalStream.Lsl.Info;

namespace CausalStream.Lsl.Protocol;

/// <summary>
/// The UDP discovery datagram <c>LSL:shortinfo\r\n&lt;query&gt;\r\n&lt;return port&gt; &lt;query id&gt;\r\n</c> and its reply
/// (<c>&lt;query id&gt;\r\n</c> + shortinfo XML): writing, parsing and validation.
/// </summary>
/// <param name="Query">The XPath predicate; empty matches every stream.</param>
/// <param name="ReturnPort">UDP port on the querying host where replies go.</param>
/// <param name="QueryId">Opaque token echoed in the reply (no whitespace).</param>
public sealed record LslShortInfoQuery(string Query, int ReturnPort, string QueryId)
{
    /// <summary>First line of a discovery query.</summary>
    public const string Method = "LSL:shortinfo";

    /// <summary>The datagram bytes.</summary>
    public byte[] ToBytes()
        => Encoding.UTF8.GetBytes($"{Method}\r\n{Query}\r\n{ReturnPort.ToString(CultureInfo.InvariantCulture)} {QueryId}\r\n");

    /// <summary>A query id derived from the query text (FNV-1a, decimal), stable for equal queries like liblsl's hash.</summary>
    public static string IdFor(string query)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in query ?? string.Empty)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }

        return hash.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Parses a datagram's lines after the method line (<paramref name="lines"/>[0] is the method). Returns false
    /// with a reason when the query or the return port is missing or malformed.
    /// </summary>
    public static bool TryParse(IReadOnlyList<string> lines, out LslShortInfoQuery? query, out string error)
    {
        query = null;
        if (lines.Count < 3)
        {
            error = "discovery query has fewer than 3 lines";
            return false;
        }

        string[] parts = lines[2].Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || !ushort.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out ushort port) || port == 0)
        {
            error = $"discovery query has no valid '<return port> <query id>' line: '{Truncate(lines[2])}'";
            return false;
        }

        query = new LslShortInfoQuery(lines[1].Trim(), port, parts[1]);
        error = string.Empty;
        return true;
    }

    /// <summary>The reply datagram: query id line, then the shortinfo document.</summary>
    public static byte[] WriteReply(string queryId, string shortInfoXml) => Encoding.UTF8.GetBytes(queryId + "\r\n" + shortInfoXml);

    /// <summary>
    /// Checks that a reply answers <paramref name="expectedQueryId"/>; returns false for replies to other queries.
    /// Parses the document that follows.
    /// </summary>
    /// <exception cref="LslProtocolException">The id matches but the document is malformed.</exception>
    public static bool TryParseReply(ReadOnlySpan<byte> datagram, string expectedQueryId, string context, out LslStreamInfo? info)
    {
        info = null;
        int newline = datagram.IndexOf((byte)'\n');
        if (newline < 0)
        {
            return false;
        }

        string id = Encoding.ASCII.GetString(datagram[..newline]).TrimEnd();
        if (id != expectedQueryId)
        {
            return false;
        }

        info = LslInfoXml.Parse(datagram[(newline + 1)..], context, newline + 1);
        return true;
    }

    /// <summary>Splits a text datagram into lines (CRLF or LF).</summary>
    public static string[] SplitLines(ReadOnlySpan<byte> datagram)
        => Encoding.UTF8.GetString(datagram).Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

    private static string Truncate(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
