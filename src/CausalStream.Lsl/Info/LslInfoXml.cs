using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using CausalStream.Lsl.Protocol;

namespace CausalStream.Lsl.Info;

/// <summary>
/// Reads and writes the stream info XML exactly as liblsl does (pugixml default formatting: XML declaration,
/// one TAB per level, LF line ends, doubles with 16 significant digits). Parsing refuses DTDs, so entity
/// expansion attacks are rejected, and caps the document size.
/// </summary>
public static class LslInfoXml
{
    /// <summary>Largest info document accepted, in characters.</summary>
    public const int MaxDocumentChars = 1 << 20;

    /// <summary>The shortinfo document: all fields, empty <c>desc</c>.</summary>
    public static string WriteShortInfo(LslStreamInfo info) => Write(info, includeDesc: false);

    /// <summary>The fullinfo document: all fields including the <c>desc</c> tree.</summary>
    public static string WriteFullInfo(LslStreamInfo info) => Write(info, includeDesc: true);

    /// <summary>Parses a UTF-8 info document; <paramref name="byteOffset"/> is where it starts in its connection or packet.</summary>
    /// <exception cref="LslProtocolException">Malformed, hostile (DTD/entities) or invalid document; the message names <paramref name="context"/> and the byte offset.</exception>
    public static LslStreamInfo Parse(ReadOnlySpan<byte> utf8, string context, long byteOffset = 0)
    {
        if (utf8.Length > MaxDocumentChars)
        {
            throw new LslProtocolException(context, byteOffset, $"stream info XML of {utf8.Length} bytes exceeds the limit of {MaxDocumentChars}");
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(utf8);
        }
        catch (DecoderFallbackException ex)
        {
            throw new LslProtocolException(context, byteOffset + Math.Max(0, ex.Index), "stream info XML is not valid UTF-8", ex);
        }

        return Parse(text, context, byteOffset);
    }

    /// <summary>Parses an info document given as text.</summary>
    /// <exception cref="LslProtocolException">Malformed, hostile or invalid document.</exception>
    public static LslStreamInfo Parse(string xml, string context, long byteOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(xml);
        XElement root;
        try
        {
            var settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                MaxCharactersInDocument = MaxDocumentChars,
                MaxCharactersFromEntities = 1024,
                IgnoreComments = true,
                IgnoreProcessingInstructions = true,
            };
            using var stringReader = new StringReader(xml);
            using var reader = XmlReader.Create(stringReader, settings);
            root = XElement.Load(reader, LoadOptions.None);
        }
        catch (XmlException ex)
        {
            long offset = byteOffset + CharOffset(xml, ex.LineNumber, ex.LinePosition);
            string reason = ex.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase)
                ? "stream info XML contains a DTD (entity declarations are refused)"
                : "malformed stream info XML: " + ex.Message;
            throw new LslProtocolException(context, offset, reason, ex);
        }

        if (root.Name.LocalName != "info")
        {
            throw new LslProtocolException(context, byteOffset, $"stream info root element is <{root.Name.LocalName}>, expected <info>");
        }

        string name = Text(root, "name");
        if (name.Length == 0)
        {
            throw new LslProtocolException(context, byteOffset, "stream info has an empty <name>");
        }

        string where = $"{context} ('{name}')";
        int channelCount = NonNegativeInt(root, "channel_count", where, byteOffset, int.MaxValue);
        string formatText = Text(root, "channel_format");
        if (!LslChannelFormats.TryParse(formatText, out var format))
        {
            throw new LslProtocolException(where, byteOffset, $"stream info has an unknown <channel_format> '{formatText}'");
        }

        string srateText = Text(root, "nominal_srate");
        if (!LslNumberText.TryParseDouble(srateText, out double srate) || !(srate >= 0) || double.IsInfinity(srate))
        {
            throw new LslProtocolException(where, byteOffset, $"stream info has an invalid <nominal_srate> '{srateText}'");
        }

        string versionText = Text(root, "version");
        if (!LslNumberText.TryParseDouble(versionText, out double versionValue) || !double.IsFinite(versionValue) || (int)(versionValue * 100) <= 0)
        {
            throw new LslProtocolException(where, byteOffset, $"stream info has an invalid <version> '{versionText}'");
        }

        string uid = Text(root, "uid");
        if (uid.Length == 0)
        {
            throw new LslProtocolException(where, byteOffset, "stream info has an empty <uid>");
        }

        string createdText = Text(root, "created_at");
        double createdAt = 0;
        if (createdText.Length > 0 && !LslNumberText.TryParseDouble(createdText, out createdAt))
        {
            throw new LslProtocolException(where, byteOffset, $"stream info has an invalid <created_at> '{createdText}'");
        }

        var desc = root.Element("desc");
        return new LslStreamInfo
        {
            Name = name,
            Type = Text(root, "type"),
            ChannelCount = channelCount,
            Format = format,
            SourceId = Text(root, "source_id"),
            NominalSrate = srate,
            Version = (int)(versionValue * 100),
            CreatedAt = createdAt,
            Uid = uid,
            SessionId = Text(root, "session_id"),
            Hostname = Text(root, "hostname"),
            V4Address = Text(root, "v4address"),
            V4DataPort = NonNegativeInt(root, "v4data_port", where, byteOffset, 65535),
            V4ServicePort = NonNegativeInt(root, "v4service_port", where, byteOffset, 65535),
            V6Address = Text(root, "v6address"),
            V6DataPort = NonNegativeInt(root, "v6data_port", where, byteOffset, 65535),
            V6ServicePort = NonNegativeInt(root, "v6service_port", where, byteOffset, 65535),
            Desc = desc is null ? null : new XElement(desc),
        };
    }

    /// <summary>The <c>&lt;info&gt;</c> element as an XML tree (used to evaluate discovery queries).</summary>
    public static XElement ToElement(LslStreamInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var root = new XElement("info");
        foreach (var (name, value) in Fields(info))
        {
            root.Add(new XElement(name, value));
        }

        root.Add(info.Desc is null ? new XElement("desc") : new XElement(info.Desc));
        return root;
    }

    private static string Write(LslStreamInfo info, bool includeDesc)
    {
        ArgumentNullException.ThrowIfNull(info);
        var sb = new StringBuilder(1024);
        sb.Append("<?xml version=\"1.0\"?>\n<info>\n");
        foreach (var (name, value) in Fields(info))
        {
            sb.Append('\t').Append('<').Append(name).Append('>');
            AppendEscaped(sb, value, attribute: false);
            sb.Append("</").Append(name).Append(">\n");
        }

        if (includeDesc && info.Desc is { } desc && desc.HasElements)
        {
            WriteElement(sb, desc, 1);
        }
        else if (includeDesc && info.Desc is { } textDesc && !textDesc.IsEmpty && textDesc.Value.Length > 0)
        {
            WriteElement(sb, textDesc, 1);
        }
        else
        {
            sb.Append("\t<desc />\n");
        }

        sb.Append("</info>\n");
        return sb.ToString();
    }

    private static (string Name, string Value)[] Fields(LslStreamInfo info) =>
    [
        ("name", info.Name),
        ("type", info.Type),
        ("channel_count", info.ChannelCount.ToString(CultureInfo.InvariantCulture)),
        ("channel_format", LslChannelFormats.Name(info.Format)),
        ("source_id", info.SourceId),
        ("nominal_srate", LslNumberText.FormatInfoDouble(info.NominalSrate)),
        ("version", LslNumberText.FormatInfoDouble(info.Version / 100.0)),
        ("created_at", LslNumberText.FormatInfoDouble(info.CreatedAt)),
        ("uid", info.Uid),
        ("session_id", info.SessionId),
        ("hostname", info.Hostname),
        ("v4address", info.V4Address),
        ("v4data_port", info.V4DataPort.ToString(CultureInfo.InvariantCulture)),
        ("v4service_port", info.V4ServicePort.ToString(CultureInfo.InvariantCulture)),
        ("v6address", info.V6Address),
        ("v6data_port", info.V6DataPort.ToString(CultureInfo.InvariantCulture)),
        ("v6service_port", info.V6ServicePort.ToString(CultureInfo.InvariantCulture)),
    ];

    private static void WriteElement(StringBuilder sb, XElement element, int depth)
    {
        sb.Append('\t', depth).Append('<').Append(element.Name.LocalName);
        foreach (var attribute in element.Attributes())
        {
            sb.Append(' ').Append(attribute.Name.LocalName).Append("=\"");
            AppendEscaped(sb, attribute.Value, attribute: true);
            sb.Append('"');
        }

        if (element.HasElements)
        {
            sb.Append(">\n");
            foreach (var node in element.Nodes())
            {
                if (node is XElement child)
                {
                    WriteElement(sb, child, depth + 1);
                }
                else if (node is XText text && text.Value.Trim().Length > 0)
                {
                    sb.Append('\t', depth + 1);
                    AppendEscaped(sb, text.Value, attribute: false);
                    sb.Append('\n');
                }
            }

            sb.Append('\t', depth).Append("</").Append(element.Name.LocalName).Append(">\n");
        }
        else if (element.IsEmpty)
        {
            sb.Append(" />\n");
        }
        else
        {
            sb.Append('>');
            AppendEscaped(sb, element.Value, attribute: false);
            sb.Append("</").Append(element.Name.LocalName).Append(">\n");
        }
    }

    private static void AppendEscaped(StringBuilder sb, string value, bool attribute)
    {
        foreach (char c in value)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"' when attribute: sb.Append("&quot;"); break;
                default: sb.Append(c); break;
            }
        }
    }

    private static string Text(XElement root, string name) => root.Element(name)?.Value.Trim() ?? string.Empty;

    private static int NonNegativeInt(XElement root, string name, string where, long byteOffset, int max)
    {
        string text = Text(root, name);
        if (text.Length == 0)
        {
            return 0;
        }

        // liblsl reads these with an integer parse first; a value like "128.0" is accepted up to the point.
        int end = 0;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        if (end == 0 || !long.TryParse(text.AsSpan(0, end), NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value > max)
        {
            throw new LslProtocolException(where, byteOffset, $"stream info has an invalid <{name}> '{text}' (expected an integer 0..{max})");
        }

        return (int)value;
    }

    private static long CharOffset(string text, int line, int position)
    {
        if (line <= 0)
        {
            return 0;
        }

        int index = 0;
        for (int l = 1; l < line && index >= 0; l++)
        {
            index = text.IndexOf('\n', index);
            if (index < 0)
            {
                return text.Length;
            }

            index++;
        }

        return Math.Min(text.Length, index + Math.Max(0, position - 1));
    }
}
