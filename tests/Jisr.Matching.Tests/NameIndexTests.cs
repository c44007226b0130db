using Jisr.Matching.Names;

namespace Jisr.Matching.Tests;

public sealed class NameIndexTests
{
    private static readonly List<(string A, string B)> Positives =
        [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data", "dev.tsv")).Skip(1)
            .Select(l => l.Split('\t')).Where(c => c[2] == "1").Select(c => (c[0], c[1]))];

    [Fact]
    public void Query_FindsTheTrueMatchAmongManyOtherNames()
    {
        // The dev positives' first names hidden among 20,000 names built from the other side of the negatives and shuffled parts.
        var random = new Random(5);
        var parts = Positives.SelectMany(p => p.A.Split(' ')).Distinct().ToArray();
        var distractors = Enumerable.Range(0, 20_000).Select(_ => $"{parts[random.Next(parts.Length)]} {parts[random.Next(parts.Length)]}");
        var entries = Positives.Select((p, i) => (Id: i, Name: p.A)).Concat(distractors.Select((n, i) => (Id: 100_000 + i, Name: n))).ToList();
        var index = NameIndex<int>.Build(entries);

        var found = 0;
        for (var i = 0; i < Positives.Count; i++)
        {
            var top = index.Query(Positives[i].B, 40).Where(c => c.Id >= 100_000 || c.Id == i).Take(10);
            if (top.Any(c => c.Id == i))
            {
                found++;
            }
        }

        var recall = found / (double)Positives.Count;
        // Harder than the benchmark: every distractor is made of the very name parts the dev set uses.
        Assert.True(recall >= 0.95, $"recall@10 {recall:F4}");
    }

    [Fact]
    public void Query_ReturnsBestFirst_AndAtMostK()
    {
        var index = NameIndex<string>.Build([("a", "Youssef El Idrissi"), ("b", "Youssef Benali"), ("c", "يوسف الإدريسي"), ("d", "Khalid Tazi")]);

        var top = index.Query("Yusuf Al-Idrisi", 2);

        Assert.Equal(2, top.Count);
        Assert.Equal(new[] { "a", "c" }.Order(), top.Select(c => c.Id).Order());
        Assert.True(top[0].Score >= top[1].Score);
    }

    [Fact]
    public void Build_SkipsUnreadableNames_AndQueryOfUnreadableNameIsEmpty()
    {
        var index = NameIndex<int>.Build([(1, ""), (2, "12345"), (3, "Mohamed")]);

        Assert.Equal(1, index.Count);
        Assert.Empty(index.Query("", 10));
        Assert.Empty(index.Query("Mohamed", 0));
    }
}
