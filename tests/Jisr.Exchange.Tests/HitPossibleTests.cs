using Jisr.Exchange.HitCheck;
using Jisr.Matching.Names;

namespace Jisr.Exchange.Tests;

/// <summary>
/// Possible hits: a name query whose only link to a held name is one of its parts, found as one part of a longer held
/// name, is answered as possible, never as a hit, and tells the asker nothing that checking each of its parts as a
/// one-part name would not.
/// </summary>
public sealed class HitPossibleTests
{
    private static readonly HitKey Key = new(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());

    private static readonly Guid Agreement = Guid.Parse("0192f3a4-1111-7000-8000-000000000002");

    [Fact]
    public void OneSharedPart_IsAPossibleHit_TwoAgreeingPartsStayAHit_TheCommonestPartsNeither()
    {
        var filter = HitFilter.Build(Key, Agreement, 1, ["Youssef El Idrissi", "Mohammed Karim Tazi"], []);

        var possible = HitQuery.ForName("Karim Idrissi").Match(Key, filter);
        Assert.Equal(HitStrength.Possible, possible.Strength);
        Assert.Equal(["karim", "idrissi"], possible.Parts); // each part found in a longer held name, in query order
        Assert.Empty(HitQuery.ForName("Karim Idrissi").Check(Key, filter)); // never counted as a hit

        var hit = HitQuery.ForName("Yusuf Karim Al-Idrisi").Match(Key, filter);
        Assert.Equal(HitStrength.Hit, hit.Strength); // a pair that agrees wins over the possible parts
        Assert.Equal(["yusuf + idrisi"], hit.Parts);
        Assert.Equal(HitStrength.Hit, HitQuery.ForName("Idrissi").Match(Key, filter).Strength); // one-part aliases are hits as before

        Assert.Equal(HitStrength.None, HitQuery.ForName("Mohammed Benali").Match(Key, filter).Strength); // "mohammed" is too common even for a possible hit
        Assert.Equal(HitStrength.None, HitQuery.ForName("Khalid Ouazzani").Match(Key, filter).Strength);
        Assert.Equal(HitStrength.Hit, HitQuery.ForIdentifier("phone:+212 6 12 34 56 78").Match(Key, HitFilter.Build(Key, Agreement, 1, [], ["phone:+212612345678"])).Strength);
    }

    [Fact]
    public void APossibleHit_TellsNoMoreThanCheckingEachPartAlone_OverRandomHoldings()
    {
        // Random holdings of the dev names, random queries: for every query that does not hit, the parts a possible hit
        // names are among the parts that, checked as one-part names, hit; so the weaker answer opens no new question
        // about the partner's holdings. A possible key under another salt, or a part left out, fails it.
        var names = new[] { "dev.tsv", "un-dev.tsv" }.SelectMany(f => File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data", "names", f)).Skip(1))
            .SelectMany(l => l.Split('\t')[..2]).Distinct(StringComparer.Ordinal).ToList();
        var random = new Random(2026);
        var possibleSeen = 0;
        var equal = 0;
        var checkedQueries = 0;
        for (var world = 0; world < 20; world++)
        {
            var held = names.OrderBy(_ => random.Next()).Take(300).ToList();
            var filter = HitFilter.Build(Key, Agreement, 1, held, []);
            foreach (var query in names.OrderBy(_ => random.Next()).Take(300))
            {
                var match = HitQuery.ForName(query).Match(Key, filter);
                if (match.Strength == HitStrength.Hit || NameParser.Parse(query).Count(p => !p.IsInitial) < 2)
                {
                    continue;
                }

                // A part's text alone mostly reads as the same part; a joined "ben X", "Abu X" or "Nasir al-Din" does not
                // (its text is the joined form, which a user would write apart): such queries are left out here, their
                // one-part key being the same by construction.
                var tokens = NameParser.Parse(query).Where(p => !p.IsInitial).ToList();
                if (!tokens.All(ReadsAlone))
                {
                    continue;
                }

                var alone = tokens.Select(p => p.Original).Distinct(StringComparer.Ordinal).Where(part => HitsAlone(part, filter)).ToList();
                Assert.True(match.Parts.All(alone.Contains), $"'{query}': possible through [{string.Join(", ", match.Parts)}], one-part checks hit [{string.Join(", ", alone)}]");
                equal += alone.ToHashSet().SetEquals(match.Parts) ? 1 : 0;
                checkedQueries++;
                possibleSeen += match.Strength == HitStrength.Possible ? 1 : 0;
            }
        }

        Assert.True(possibleSeen >= 50, $"only {possibleSeen} possible hits in the random worlds: the property was hardly tested");

        // And it is not weaker than it need be: nearly always the same parts (a part past the fifth, which no key
        // covers, is the exception: measured 70 of 72 on un-dev names alone).
        Assert.True(equal >= 0.95 * checkedQueries, $"the same parts for {equal} of {checkedQueries} queries");
    }

    private static bool ReadsAlone(NameToken token) =>
        NameParser.Parse(token.Original) is [var alone] && alone.Skeleton == token.Skeleton && alone.BareSkeleton == token.BareSkeleton && alone.Weight == token.Weight;

    private static bool HitsAlone(string part, HitFilter filter)
    {
        try
        {
            return HitQuery.ForName(part).Check(Key, filter).Count > 0;
        }
        catch (Jisr.Domain.Common.DomainValidationException)
        {
            return false; // a title or particle alone is no name
        }
    }
}
