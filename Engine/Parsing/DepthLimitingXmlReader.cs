using System.Xml;

namespace ComplaintWorkflows.Engine.Parsing;

/// <summary>A file whose elements nest deeper than the importer accepts.</summary>
internal sealed class XmlTooDeepException(int limit, int line, int position)
    : XmlException($"Elements are nested more than {limit} levels deep.", null, line, position)
{
    public int Limit { get; } = limit;
}

/// <summary>
/// Reads through another reader and stops at the first element nested deeper than the limit: reading (and building a
/// document of) elements nested tens of thousands deep takes time that grows with the square of the depth, and a model
/// that deep would exhaust the stack of whatever walks it.
/// </summary>
internal sealed class DepthLimitingXmlReader(XmlReader inner, int maxDepth) : XmlReader, IXmlLineInfo
{
    public override bool Read()
    {
        var read = inner.Read();
        if (read && inner.NodeType == XmlNodeType.Element && inner.Depth > maxDepth)
        {
            var info = inner as IXmlLineInfo;
            throw new XmlTooDeepException(maxDepth, info?.LineNumber ?? 0, info?.LinePosition ?? 0);
        }

        return read;
    }

    public override int AttributeCount => inner.AttributeCount;

    public override string BaseURI => inner.BaseURI;

    public override int Depth => inner.Depth;

    public override bool EOF => inner.EOF;

    public override bool IsEmptyElement => inner.IsEmptyElement;

    public override string LocalName => inner.LocalName;

    public override string NamespaceURI => inner.NamespaceURI;

    public override XmlNameTable NameTable => inner.NameTable;

    public override XmlNodeType NodeType => inner.NodeType;

    public override string Prefix => inner.Prefix;

    public override ReadState ReadState => inner.ReadState;

    public override string Value => inner.Value;

    public override bool HasValue => inner.HasValue;

    public override XmlReaderSettings? Settings => inner.Settings;

    public int LineNumber => (inner as IXmlLineInfo)?.LineNumber ?? 0;

    public int LinePosition => (inner as IXmlLineInfo)?.LinePosition ?? 0;

    public bool HasLineInfo() => inner is IXmlLineInfo info && info.HasLineInfo();

    public override string GetAttribute(int i) => inner.GetAttribute(i);

    public override string? GetAttribute(string name) => inner.GetAttribute(name);

    public override string? GetAttribute(string name, string? namespaceURI) => inner.GetAttribute(name, namespaceURI);

    public override string? LookupNamespace(string prefix) => inner.LookupNamespace(prefix);

    public override bool MoveToAttribute(string name) => inner.MoveToAttribute(name);

    public override bool MoveToAttribute(string name, string? ns) => inner.MoveToAttribute(name, ns);

    public override bool MoveToElement() => inner.MoveToElement();

    public override bool MoveToFirstAttribute() => inner.MoveToFirstAttribute();

    public override bool MoveToNextAttribute() => inner.MoveToNextAttribute();

    public override bool ReadAttributeValue() => inner.ReadAttributeValue();

    public override void ResolveEntity() => inner.ResolveEntity();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
