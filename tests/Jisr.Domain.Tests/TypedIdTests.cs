using System.Reflection;
using System.Text.Json;
using Jisr.Domain.Common;

namespace Jisr.Domain.Tests;

/// <summary>
/// Typed ids: each kind is its own type over a Guid, written and read as the Guid's "D" form (also in JSON), made new
/// as a version-7 Guid of the given time, and never converted into another kind, or from a Guid, by an operator.
/// </summary>
public sealed class TypedIdTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 30, 0, TimeSpan.Zero);

    /// <summary>Every id kind the domain declares, found by reflection so that a new kind is checked too.</summary>
    private static readonly Type[] IdTypes = [.. typeof(ITypedId<>).Assembly.GetTypes()
        .Where(t => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ITypedId<>)))
        .OrderBy(t => t.Name, StringComparer.Ordinal)];

    public static TheoryData<string> Kinds() => [.. IdTypes.Select(t => t.Name)];

    [Fact]
    public void TheDomain_DeclaresEachIdKind_AsAReadOnlyValueType()
    {
        Assert.Equal(
            ["AgencyId", "AgreementId", "ConsentId", "DeclassificationId", "EntityId", "NoticeId", "RecordId", "ReleaseId", "UserId"],
            IdTypes.Select(t => t.Name));
        Assert.All(IdTypes, t => Assert.True(t.IsValueType && t.IsDefined(typeof(System.Runtime.CompilerServices.IsReadOnlyAttribute)), $"{t.Name} is not a readonly struct"));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void NoOperator_ConvertsAnIdIntoAnotherKind_OrAGuidIntoAnId(string kind)
    {
        var type = IdTypes.Single(t => t.Name == kind);
        var conversions = typeof(ITypedId<>).Assembly.GetTypes()
            .Append(typeof(Guid))
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.Name is "op_Implicit" or "op_Explicit")
            .Where(m => m.ReturnType == type || m.GetParameters().Any(p => p.ParameterType == type))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name))}) -> {m.ReturnType.Name}");

        Assert.Empty(conversions);
        Assert.DoesNotContain(type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static), m => m.Name is "op_Implicit" or "op_Explicit");
    }

    [Fact]
    public void IdsOfDifferentKinds_OverTheSameGuid_AreNotEqual()
    {
        var guid = Guid.CreateVersion7(Now);

        Assert.False(new AgencyId(guid).Equals(new UserId(guid)));
        Assert.False(((object)new RecordId(guid)).Equals(new EntityId(guid)));
        Assert.False(typeof(AgencyId).IsAssignableFrom(typeof(UserId)));
        Assert.Equal(new AgencyId(guid), TypedId.Parse<AgencyId>(guid.ToString()));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void New_Format_Parse_RoundTrip(string kind)
    {
        var type = IdTypes.Single(t => t.Name == kind);
        var id = type.GetMethod("New")!.Invoke(null, [Now])!;
        var guid = (Guid)type.GetProperty("Value")!.GetValue(id)!;
        var text = id.ToString()!;

        Assert.Equal(7, guid.Version);
        Assert.Equal(Now.ToUnixTimeMilliseconds(), UnixMillisecondsOf(guid));
        Assert.Equal(guid.ToString("D"), text);
        Assert.Equal($"{guid:D}", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{id}"));
        Assert.Equal(guid.ToString("N"), ((IFormattable)id).ToString("N", null));
        Assert.Equal(id, ParseAs(type, text));
        Assert.Equal(id, ParseAs(type, text.ToUpperInvariant()));
    }

    private static object ParseAs(Type kind, string text) =>
        typeof(TypedId).GetMethod(nameof(TypedId.Parse))!.MakeGenericMethod(kind).Invoke(null, [text])!;

    [Fact]
    public void TryParse_AcceptsGuids_AndRefusesEverythingElse()
    {
        var guid = Guid.CreateVersion7(Now);

        Assert.True(TypedId.TryParse<RecordId>(guid.ToString("D"), out var parsed));
        Assert.Equal(new RecordId(guid), parsed);
        Assert.False(TypedId.TryParse<RecordId>("not-an-id", out _));
        Assert.False(TypedId.TryParse<RecordId>(null, out _));
        Assert.False(TypedId.TryParse<RecordId>(string.Empty, out _));
        Assert.Throws<FormatException>(() => TypedId.Parse<UserId>("12345"));
    }

    [Fact]
    public void Json_WritesTheGuidString_AsAValueAndAsAKey_AndReadsItBack()
    {
        var record = RecordId.New(Now);
        var user = UserId.New(Now.AddSeconds(1));

        var json = JsonSerializer.Serialize(new { record, users = new Dictionary<UserId, AgencyId?> { [user] = null } });

        Assert.Equal($"{{\"record\":\"{record.Value:D}\",\"users\":{{\"{user.Value:D}\":null}}}}", json);
        Assert.Equal($"[\"{user.Value:D}\"]", JsonSerializer.Serialize<IReadOnlyList<UserId>>([user])); // a release's recipients column
        Assert.Equal(record, JsonSerializer.Deserialize<RecordId>($"\"{record}\""));
        Assert.Equal(user, JsonSerializer.Deserialize<Dictionary<UserId, int>>($"{{\"{user}\":1}}")!.Keys.Single());
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<RecordId>("\"nope\""));
    }

    [Fact]
    public void Ordering_IsTheGuidsOrdering()
    {
        var earlier = ReleaseId.New(Now);
        var later = ReleaseId.New(Now.AddMilliseconds(5));
        var same = new ReleaseId(earlier.Value);

        var order = Comparer<ReleaseId>.Default;
        Assert.True(order.Compare(earlier, later) < 0 && order.Compare(later, earlier) > 0 && order.Compare(earlier, same) == 0);
        Assert.Equal(earlier.Value.CompareTo(later.Value), order.Compare(earlier, later));
        Assert.Equal([earlier, later], new[] { later, earlier }.Order());
    }

    /// <summary>The 48-bit Unix time in milliseconds at the front of a version-7 Guid (RFC 9562).</summary>
    private static long UnixMillisecondsOf(Guid guid)
    {
        Span<byte> bytes = stackalloc byte[16];
        Assert.True(guid.TryWriteBytes(bytes, bigEndian: true, out _));
        return ((long)bytes[0] << 40) | ((long)bytes[1] << 32) | ((long)bytes[2] << 24) | ((long)bytes[3] << 16) | ((long)bytes[4] << 8) | bytes[5];
    }
}
