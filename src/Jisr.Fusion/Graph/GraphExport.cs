using System.Globalization;
using System.Text.Json;
using System.Xml;

namespace Jisr.Fusion.Graph;

/// <summary>What an export says of each node besides its id: a label, and analytics when the caller ran them.</summary>
public sealed record NodeAttributes(
    IReadOnlyDictionary<string, string>? Labels = null,
    IReadOnlyDictionary<string, int>? Community = null,
    IReadOnlyDictionary<string, double>? Betweenness = null)
{
    /// <summary>What is known of one node: each is null when the caller did not give it (or ran no analytics that found it).</summary>
    internal (string? Label, int? Community, double? Betweenness) Of(string id) => (
        Labels?.TryGetValue(id, out var label) == true ? label : null,
        Community?.TryGetValue(id, out var community) == true ? community : null,
        Betweenness?.TryGetValue(id, out var betweenness) == true ? betweenness : null);
}

/// <summary>
/// Exports a graph (or any part of one: a neighbourhood, a path, a community) as GraphML, which Gephi, yEd and
/// Cytoscape open, and as the JSON the web UI draws (<c>{"nodes":[...],"links":[...]}</c>). Writes to what the caller
/// gives; every text goes through the XML and JSON writers, which escape it.
/// </summary>
public static class GraphExport
{
    public static void WriteGraphMl(LinkGraph graph, TextWriter output, NodeAttributes? attributes = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        WriteGraphMl(graph.Nodes, graph.Edges(), output, attributes);
    }

    public static void WriteGraphMl(IEnumerable<string> nodes, IEnumerable<GraphEdge> edges, TextWriter output, NodeAttributes? attributes = null)
    {
        var a = Checked(nodes, edges, output, attributes);
        using var xml = XmlWriter.Create(output, new XmlWriterSettings { Indent = true, CheckCharacters = true, CloseOutput = false });
        const string ns = "http://graphml.graphdrawing.org/xmlns";
        xml.WriteStartDocument();
        xml.WriteStartElement("graphml", ns);
        Key(xml, "label", "node", "label", "string");
        Key(xml, "community", "node", "community", "int");
        Key(xml, "betweenness", "node", "betweenness", "double");
        Key(xml, "weight", "edge", "weight", "int");
        Key(xml, "type", "edge", "type", "string");
        xml.WriteStartElement("graph", ns);
        xml.WriteAttributeString("id", "jisr");
        xml.WriteAttributeString("edgedefault", "undirected");
        foreach (var id in nodes)
        {
            xml.WriteStartElement("node", ns);
            xml.WriteAttributeString("id", Safe(id));
            var (label, community, betweenness) = a.Of(id);
            if (label is not null)
            {
                Data(xml, "label", label);
            }

            if (community is { } c)
            {
                Data(xml, "community", c.ToString(CultureInfo.InvariantCulture));
            }

            if (betweenness is { } b)
            {
                Data(xml, "betweenness", b.ToString("R", CultureInfo.InvariantCulture));
            }

            xml.WriteEndElement();
        }

        var n = 0;
        foreach (var edge in edges)
        {
            xml.WriteStartElement("edge", ns);
            xml.WriteAttributeString("id", "e" + (n++).ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("source", Safe(edge.A));
            xml.WriteAttributeString("target", Safe(edge.B));
            Data(xml, "weight", edge.Weight.ToString(CultureInfo.InvariantCulture));
            Data(xml, "type", string.Join(",", edge.Types));
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    public static void WriteJson(LinkGraph graph, Stream output, NodeAttributes? attributes = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        WriteJson(graph.Nodes, graph.Edges(), output, attributes);
    }

    public static void WriteJson(IEnumerable<string> nodes, IEnumerable<GraphEdge> edges, Stream output, NodeAttributes? attributes = null)
    {
        var a = Checked(nodes, edges, output, attributes);
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteStartArray("nodes");
        foreach (var id in nodes)
        {
            json.WriteStartObject();
            json.WriteString("id", id);
            var (label, community, betweenness) = a.Of(id);
            if (label is not null)
            {
                json.WriteString("label", label);
            }

            if (community is { } c)
            {
                json.WriteNumber("community", c);
            }

            if (betweenness is { } b)
            {
                json.WriteNumber("betweenness", b);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("links");
        foreach (var edge in edges)
        {
            json.WriteStartObject();
            json.WriteString("source", edge.A);
            json.WriteString("target", edge.B);
            json.WriteNumber("weight", edge.Weight);
            json.WriteStartArray("types");
            foreach (var type in edge.Types)
            {
                json.WriteStringValue(type);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Both exports' arguments checked; no attributes given means none written.</summary>
    private static NodeAttributes Checked(IEnumerable<string> nodes, IEnumerable<GraphEdge> edges, object output, NodeAttributes? attributes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(edges);
        ArgumentNullException.ThrowIfNull(output);
        return attributes ?? new NodeAttributes();
    }

    private static void Key(XmlWriter xml, string id, string target, string name, string type)
    {
        xml.WriteStartElement("key", "http://graphml.graphdrawing.org/xmlns");
        xml.WriteAttributeString("id", id);
        xml.WriteAttributeString("for", target);
        xml.WriteAttributeString("attr.name", name);
        xml.WriteAttributeString("attr.type", type);
        xml.WriteEndElement();
    }

    private static void Data(XmlWriter xml, string key, string value)
    {
        xml.WriteStartElement("data", "http://graphml.graphdrawing.org/xmlns");
        xml.WriteAttributeString("key", key);
        xml.WriteString(Safe(value));
        xml.WriteEndElement();
    }

    /// <summary>XML 1.0 cannot carry control characters even escaped; they become U+FFFD rather than failing the export.</summary>
    private static string Safe(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                builder.Append(text, i++, 2);
            }
            else
            {
                builder.Append(XmlConvert.IsXmlChar(text[i]) ? text[i] : '\uFFFD');
            }
        }

        return builder.ToString();
    }
}
