using System.Globalization;
using System.Text;
using System.Xml.Linq;
using CausalStream.Lsl.Info;

namespace CausalStream.Lsl.Discovery;

/// <summary>
/// The XPath 1.0 subset LSL discovery queries use, evaluated as a boolean on a stream's <c>&lt;info&gt;</c> element:
/// child paths (<c>name</c>, <c>desc/channels/channel/label</c>), string and number literals, comparisons
/// (<c>= != &lt; &lt;= &gt; &gt;=</c>, with XPath's node-set and number rules), <c>and</c>, <c>or</c>, <c>not()</c>,
/// parentheses, <c>starts-with()</c>, <c>contains()</c>, <c>true()</c>, <c>false()</c>. Also builds the queries
/// liblsl sends (by property, by predicate, for recovery).
/// </summary>
public sealed class LslQuery
{
    private readonly Node _root;

    private LslQuery(string text, Node root)
    {
        Text = text;
        _root = root;
    }

    /// <summary>The query text.</summary>
    public string Text { get; }

    /// <summary>Compiles a query; an empty text matches every stream.</summary>
    /// <exception cref="FormatException">The text is not in the supported subset (the message says where).</exception>
    public static LslQuery Parse(string text)
    {
        text ??= string.Empty;
        if (text.Trim().Length == 0)
        {
            return new LslQuery(text, new Literal(Value.FromBool(true)));
        }

        var parser = new Parser(text);
        var root = parser.ParseExpression();
        parser.ExpectEnd();
        return new LslQuery(text, root);
    }

    /// <summary>Compiles a query; false with a reason when it is not in the supported subset.</summary>
    public static bool TryParse(string text, out LslQuery? query, out string error)
    {
        try
        {
            query = Parse(text);
            error = string.Empty;
            return true;
        }
        catch (FormatException ex)
        {
            query = null;
            error = ex.Message;
            return false;
        }
    }

    /// <summary><c>session_id='S' and prop='value'</c>, as liblsl's resolve-by-property builds it.</summary>
    public static string ByProperty(string property, string value, string sessionId = "default")
        => $"session_id='{sessionId}' and {property}='{value}'";

    /// <summary><c>session_id='S' and (predicate)</c>, or only the session term for an empty predicate.</summary>
    public static string ByPredicate(string predicate, string sessionId = "default")
        => string.IsNullOrWhiteSpace(predicate) ? $"session_id='{sessionId}'" : $"session_id='{sessionId}' and {predicate}";

    /// <summary>The recovery query: channel count, name, type, source id and format; no session term (as liblsl).</summary>
    public static string ForRecovery(LslStreamInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var sb = new StringBuilder();
        sb.Append("channel_count='").Append(info.ChannelCount.ToString(CultureInfo.InvariantCulture)).Append('\'');
        if (info.Name.Length > 0)
        {
            sb.Append(" and name='").Append(info.Name).Append('\'');
        }

        if (info.Type.Length > 0)
        {
            sb.Append(" and type='").Append(info.Type).Append('\'');
        }

        if (info.SourceId.Length > 0)
        {
            sb.Append(" and source_id='").Append(info.SourceId).Append('\'');
        }

        sb.Append(" and channel_format='").Append(LslChannelFormats.Name(info.Format)).Append('\'');
        return sb.ToString();
    }

    /// <summary>Whether the stream matches.</summary>
    public bool Matches(LslStreamInfo info) => Matches(LslInfoXml.ToElement(info));

    /// <summary>Whether the <c>&lt;info&gt;</c> element matches.</summary>
    public bool Matches(XElement info) => _root.Evaluate(info).AsBool();

    private enum Kind
    {
        NodeSet,
        String,
        Number,
        Boolean,
    }

    private readonly record struct Value(Kind Kind, IReadOnlyList<string> Nodes, string Text, double Number, bool Bool)
    {
        public static Value FromBool(bool b) => new(Kind.Boolean, [], string.Empty, 0, b);

        public static Value FromString(string s) => new(Kind.String, [], s, 0, false);

        public static Value FromNumber(double n) => new(Kind.Number, [], string.Empty, n, false);

        public static Value FromNodes(IReadOnlyList<string> nodes) => new(Kind.NodeSet, nodes, string.Empty, 0, false);

        public bool AsBool() => Kind switch
        {
            Kind.Boolean => Bool,
            Kind.Number => Number != 0 && !double.IsNaN(Number),
            Kind.String => Text.Length > 0,
            _ => Nodes.Count > 0,
        };

        public string AsString() => Kind switch
        {
            Kind.Boolean => Bool ? "true" : "false",
            Kind.Number => Number.ToString(CultureInfo.InvariantCulture),
            Kind.String => Text,
            _ => Nodes.Count > 0 ? Nodes[0] : string.Empty,
        };

        public double AsNumber() => Kind switch
        {
            Kind.Boolean => Bool ? 1 : 0,
            Kind.Number => Number,
            _ => ToNumber(AsString()),
        };
    }

    private static double ToNumber(string s)
        => double.TryParse(s.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double d) ? d : double.NaN;

    private abstract class Node
    {
        public abstract Value Evaluate(XElement context);
    }

    private sealed class Literal(Value value) : Node
    {
        public override Value Evaluate(XElement context) => value;
    }

    private sealed class PathNode(string[] steps) : Node
    {
        public override Value Evaluate(XElement context)
        {
            IEnumerable<XElement> current = [context];
            foreach (string step in steps)
            {
                var next = new List<XElement>();
                foreach (var element in current)
                {
                    next.AddRange(step == "*" ? element.Elements() : element.Elements(step));
                }

                current = next;
            }

            var values = new List<string>();
            foreach (var element in current)
            {
                values.Add(element.Value);
            }

            return Value.FromNodes(values);
        }
    }

    private sealed class Logical(bool isAnd, Node left, Node right) : Node
    {
        public override Value Evaluate(XElement context)
        {
            bool l = left.Evaluate(context).AsBool();
            if (isAnd ? !l : l)
            {
                return Value.FromBool(l);
            }

            return Value.FromBool(right.Evaluate(context).AsBool());
        }
    }

    private sealed class Function(string name, Node[] args) : Node
    {
        public override Value Evaluate(XElement context)
        {
            switch (name)
            {
                case "not": return Value.FromBool(!args[0].Evaluate(context).AsBool());
                case "true": return Value.FromBool(true);
                case "false": return Value.FromBool(false);
                case "starts-with":
                    return Value.FromBool(args[0].Evaluate(context).AsString().StartsWith(args[1].Evaluate(context).AsString(), StringComparison.Ordinal));
                case "contains":
                    return Value.FromBool(args[0].Evaluate(context).AsString().Contains(args[1].Evaluate(context).AsString(), StringComparison.Ordinal));
                default: return Value.FromBool(false);
            }
        }
    }

    private sealed class Comparison(string op, Node left, Node right) : Node
    {
        public override Value Evaluate(XElement context) => Value.FromBool(Compare(left.Evaluate(context), right.Evaluate(context)));

        private bool Compare(Value a, Value b)
        {
            if (a.Kind == Kind.NodeSet)
            {
                foreach (string node in a.Nodes)
                {
                    if (Compare(Value.FromString(node), b))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (b.Kind == Kind.NodeSet)
            {
                foreach (string node in b.Nodes)
                {
                    if (Compare(a, Value.FromString(node)))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (op is "=" or "!=")
            {
                bool equal;
                if (a.Kind == Kind.Boolean || b.Kind == Kind.Boolean)
                {
                    equal = a.AsBool() == b.AsBool();
                }
                else if (a.Kind == Kind.Number || b.Kind == Kind.Number)
                {
                    equal = a.AsNumber() == b.AsNumber();
                }
                else
                {
                    equal = string.Equals(a.AsString(), b.AsString(), StringComparison.Ordinal);
                }

                return op == "=" ? equal : !equal;
            }

            double x = a.AsNumber();
            double y = b.AsNumber();
            return op switch
            {
                "<" => x < y,
                "<=" => x <= y,
                ">" => x > y,
                _ => x >= y,
            };
        }
    }

    private sealed class Parser(string text)
    {
        private int _pos;

        public Node ParseExpression()
        {
            var left = ParseAnd();
            while (TryKeyword("or"))
            {
                left = new Logical(false, left, ParseAnd());
            }

            return left;
        }

        public void ExpectEnd()
        {
            SkipSpace();
            if (_pos < text.Length)
            {
                throw Error("unexpected text");
            }
        }

        private Node ParseAnd()
        {
            var left = ParseComparison();
            while (TryKeyword("and"))
            {
                left = new Logical(true, left, ParseComparison());
            }

            return left;
        }

        private Node ParseComparison()
        {
            var left = ParsePrimary();
            SkipSpace();
            string? op = null;
            foreach (string candidate in new[] { "!=", "<=", ">=", "=", "<", ">" })
            {
                if (string.CompareOrdinal(text, _pos, candidate, 0, candidate.Length) == 0)
                {
                    op = candidate;
                    break;
                }
            }

            if (op is null)
            {
                return left;
            }

            _pos += op.Length;
            return new Comparison(op, left, ParsePrimary());
        }

        private Node ParsePrimary()
        {
            SkipSpace();
            if (_pos >= text.Length)
            {
                throw Error("expression ends early");
            }

            char c = text[_pos];
            if (c == '(')
            {
                _pos++;
                var inner = ParseExpression();
                Expect(')');
                return inner;
            }

            if (c is '\'' or '"')
            {
                int end = text.IndexOf(c, _pos + 1);
                if (end < 0)
                {
                    throw Error("unterminated string literal");
                }

                string literal = text[(_pos + 1)..end];
                _pos = end + 1;
                return new Literal(Value.FromString(literal));
            }

            if (char.IsAsciiDigit(c) || c == '.' || c == '-')
            {
                int start = _pos;
                _pos++;
                while (_pos < text.Length && (char.IsAsciiDigit(text[_pos]) || text[_pos] == '.'))
                {
                    _pos++;
                }

                double number = ToNumber(text[start.._pos]);
                if (double.IsNaN(number))
                {
                    throw Error("invalid number");
                }

                return new Literal(Value.FromNumber(number));
            }

            string name = ReadName();
            SkipSpace();
            if (_pos < text.Length && text[_pos] == '(')
            {
                _pos++;
                var args = new List<Node>();
                SkipSpace();
                if (_pos < text.Length && text[_pos] != ')')
                {
                    args.Add(ParseExpression());
                    SkipSpace();
                    while (_pos < text.Length && text[_pos] == ',')
                    {
                        _pos++;
                        args.Add(ParseExpression());
                        SkipSpace();
                    }
                }

                Expect(')');
                int expected = name switch
                {
                    "not" => 1,
                    "true" or "false" => 0,
                    "starts-with" or "contains" => 2,
                    _ => throw Error($"unsupported function '{name}()'"),
                };
                if (args.Count != expected)
                {
                    throw Error($"{name}() takes {expected} argument(s)");
                }

                return new Function(name, [.. args]);
            }

            var steps = new List<string> { name };
            while (_pos < text.Length && text[_pos] == '/')
            {
                _pos++;
                steps.Add(ReadName());
            }

            return new PathNode([.. steps]);
        }

        private string ReadName()
        {
            SkipSpace();
            int start = _pos;
            if (_pos < text.Length && text[_pos] == '*')
            {
                _pos++;
                return "*";
            }

            while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] is '_' or '-' or '.'))
            {
                _pos++;
            }

            if (_pos == start || !(char.IsAsciiLetter(text[start]) || text[start] == '_'))
            {
                throw Error("expected a name, a literal or '('");
            }

            return text[start.._pos];
        }

        private bool TryKeyword(string keyword)
        {
            SkipSpace();
            if (string.CompareOrdinal(text, _pos, keyword, 0, keyword.Length) == 0
                && _pos + keyword.Length < text.Length
                && !char.IsAsciiLetterOrDigit(text[_pos + keyword.Length]) && text[_pos + keyword.Length] is not ('_' or '-'))
            {
                _pos += keyword.Length;
                return true;
            }

            return false;
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (_pos >= text.Length || text[_pos] != c)
            {
                throw Error($"expected '{c}'");
            }

            _pos++;
        }

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }
        }

        private FormatException Error(string what) => new($"query \"{text}\": {what} at character {_pos}");
    }
}
