using System.Text.Json;
using System.Text.Json.Serialization;

namespace CausalStream.Cli.Configuration;

/// <summary>A model order given either as a number of lags or as <c>"auto"</c> (chosen by an information criterion at start-up).</summary>
[JsonConverter(typeof(MaxLagSettingConverter))]
public readonly record struct MaxLagSetting(int? Lags)
{
    public bool IsAuto => Lags is null;

    public static MaxLagSetting Auto => new(null);

    public override string ToString() => Lags?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "auto";

    /// <summary>Parses a command-line value: a positive integer or "auto".</summary>
    public static bool TryParse(string text, out MaxLagSetting setting)
    {
        if (string.Equals(text, "auto", StringComparison.OrdinalIgnoreCase))
        {
            setting = Auto;
            return true;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int lags))
        {
            setting = new MaxLagSetting(lags);
            return true;
        }

        setting = default;
        return false;
    }

    private sealed class MaxLagSettingConverter : JsonConverter<MaxLagSetting>
    {
        public override MaxLagSetting Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int lags))
            {
                return new MaxLagSetting(lags);
            }

            if (reader.TokenType == JsonTokenType.String && TryParse(reader.GetString() ?? string.Empty, out var parsed))
            {
                return parsed;
            }

            throw new JsonException("expected a whole number of lags or \"auto\"");
        }

        public override void Write(Utf8JsonWriter writer, MaxLagSetting value, JsonSerializerOptions options)
        {
            if (value.Lags is int lags)
            {
                writer.WriteNumberValue(lags);
            }
            else
            {
                writer.WriteStringValue("auto");
            }
        }
    }
}
