namespace Jisr.Exchange.Stix.Validation;

/// <summary>Why one object (or the bundle) was refused: its id, the rule it broke, and the detail.</summary>
public sealed record StixRefusal(string ObjectId, string Rule, string Message)
{
    public override string ToString() => $"{ObjectId}: {Rule}: {Message}";
}
