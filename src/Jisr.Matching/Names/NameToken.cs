namespace Jisr.Matching.Names;

/// <summary>
/// One part of a name after normalisation. <see cref="Skeleton"/> is its consonant skeleton in a script-neutral
/// alphabet (what Arabic script writes and every transliteration keeps), <see cref="Spelling"/> its normalised form
/// in its own script (for comparisons within one script, where vowels carry information).
/// </summary>
/// <remarks><see cref="BareSkeleton"/> is the skeleton without a patronymic particle (ben, bin, ould, بن), which
/// one service writes and another leaves out; null when the part has none.</remarks>
public sealed record NameToken(string Original, string Spelling, string Skeleton, bool IsArabic, bool IsInitial, string? BareSkeleton = null);
