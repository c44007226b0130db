using Jisr.Domain.Text;

namespace Jisr.Matching.Names;

public static partial class NameParser
{
    /// <summary>
    /// Whether the name starts with a title, rank or honorific that <see cref="Parse"/> leaves out (Haji, Mullah, Col,
    /// الحاج): such a name is mostly an alias as lists write it ("Mullah Abdul Rauf"), which hit/no-hit keys treat so.
    /// A title inside a full name (Mustafa Hajji Muhammad Khan) does not count.
    /// </summary>
    public static bool HasTitle(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }

        var text = UnicodeText.WithoutLoneSurrogates(name.Length > MaxNameLength ? name[..MaxNameLength] : name);
        var scratch = t_scratch ??= new Scratch();
        scratch.Clear();
        SplitWords(text, scratch);
        return scratch.Words.Count > 0 && scratch.Words[0].Title;
    }
}
