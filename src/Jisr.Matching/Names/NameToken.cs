namespace Jisr.Matching.Names;

/// <summary>
/// One part of a name after normalisation. <see cref="Skeleton"/> is its consonant skeleton in a script-neutral
/// alphabet (what Arabic script writes and every transliteration keeps), <see cref="Spelling"/> its normalised form
/// in its own script (for comparisons within one script, where vowels carry information).
/// </summary>
/// <remarks><see cref="BareSkeleton"/> is the skeleton without a particle or suffix that one service writes and
/// another leaves out (ben, bin, ould, بن; -zada, -zai, Khan, Jan); null when the part has none.</remarks>
public sealed record NameToken(string Original, string Spelling, string Skeleton, bool IsArabic, bool IsInitial, string? BareSkeleton = null)
{
    /// <summary>How much this part identifies a person, in (0, 1]: low for common given names (Mohammed, Ali), 1 for rare parts (see <see cref="NameFrequencies"/>).</summary>
    public double Weight { get; init; } = 1;

    /// <summary>What kind of name form the part is: a plain name, a patronymic (ben X) or a kunya (Abu X).</summary>
    public NamePartKind Kind { get; init; }
}

/// <summary>The form of a name part, which decides what its absence on the other side means.</summary>
public enum NamePartKind
{
    /// <summary>A given or family name.</summary>
    Name,

    /// <summary>A father's name with its particle (ben/bin/ibn/ould X, بن X): one spelling keeps a generation another drops.</summary>
    Patronymic,

    /// <summary>A kunya (Abu X, Abou X, أبو X, Umm X): a name form of its own, often an alias, never a given name.</summary>
    Kunya,

    /// <summary>A Pashtun tribal name (Noorzai, Barakzai, Ahmadzai, -khel): an affiliation one alias gives and another leaves out.</summary>
    Tribe,
}
