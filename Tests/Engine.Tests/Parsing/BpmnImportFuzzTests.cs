using System.Globalization;
using System.Text;
using System.Xml.Linq;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Parsing;
using ComplaintWorkflows.Engine.Timers;
using ComplaintWorkflows.TestSupport;

namespace ComplaintWorkflows.Engine.Tests.Parsing;

/// <summary>
/// Feeds the importer mutated BPMN files made from the MIWG reference models and the product's own processes:
/// truncated, with duplicated ids, cycles and dangling references, nesting thousands deep, huge attributes, garbage
/// in expressions and timers, declared in one encoding and written in another. Every file must be answered within
/// the case limit, without an exception, by a model or by error findings that each name a code and a message (and,
/// for an element, its id and line). Seeded: <see cref="Fuzz.SeedVariable"/> replays a run.
/// </summary>
public sealed class BpmnImportFuzzTests
{
    private const string Bpmn = "http://www.omg.org/spec/BPMN/20100524/MODEL";

    private static readonly Lazy<IReadOnlyList<(string Name, string Xml)>> Seeds = new(() =>
    [
        .. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Conformance", "miwg"), "*.bpmn")
            .Concat(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fuzz", "Processes"), "*.bpmn"))
            .Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f))),
    ]);

    [Fact]
    public void Seeds_AreTheMiwgModelsAndTheProductsProcesses()
    {
        Assert.True(Seeds.Value.Count >= 25, $"{Seeds.Value.Count} seed files");
        Assert.Contains(Seeds.Value, s => s.Name == "complaint-handling.bpmn");
        Assert.Contains(Seeds.Value, s => s.Name == "A.1.0.bpmn");
    }

    [Fact]
    public async Task MutatedBpmnFiles_AreAnsweredWithAModelOrNamedFindings_NeverAnExceptionOrAHang()
    {
        var parser = new BpmnParser(new ExpressionEngine());

        // Warm: the first import of each file in a process compiles the importer and the expression engine (seconds on
        // a busy machine), which is not what a case measures.
        foreach (var (name, xml) in Seeds.Value)
        {
            var warm = parser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(xml)), name);
            Assert.NotNull(warm.Definitions);
            ExecutableValidator.Validate(warm.Definitions, new ActivityRegistry(), TimerSchedule.Check);
        }

        var run = await Fuzz.RunAsync("bpmn-import", 3000, c =>
        {
            var random = c.Random;
            var (name, xml) = Seeds.Value[random.Next(Seeds.Value.Count)];
            var (mutation, bytes) = Mutated(random, xml);
            c.Note = $"{name} with {mutation}";
            ParseResult result;
            try
            {
                result = parser.Parse(new MemoryStream(bytes), name);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"{name} with {mutation} made the importer throw.", e);
            }

            Check(result.Findings, name, mutation);
            if (result.Definitions is null)
            {
                Assert.True(result.Findings.Any(f => f.IsError), $"{name} with {mutation}: no model and no error.");
                return;
            }

            try
            {
                Check(ExecutableValidator.Validate(result.Definitions, new ActivityRegistry(), TimerSchedule.Check), name, mutation);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"{name} with {mutation} made the validator throw.", e);
            }
        });

        Assert.True(run >= 3000, $"{run} cases");
    }

    private static void Check(IReadOnlyList<ValidationFinding> findings, string name, string mutation)
    {
        foreach (var f in findings)
        {
            Assert.False(string.IsNullOrWhiteSpace(f.Code), $"{name} with {mutation}: a finding without a code: {f}");
            Assert.False(string.IsNullOrWhiteSpace(f.Message), $"{name} with {mutation}: a finding without a message: {f}");
            Assert.True(f.Message.Length < 20_000, $"{name} with {mutation}: a finding of {f.Message.Length} characters (it repeats the input?)");
        }
    }

    /// <summary>One mutation of the file, named, and its bytes.</summary>
    private static (string Mutation, byte[] Bytes) Mutated(Random random, string xml)
    {
        switch (random.Next(12))
        {
            case 0:
                var at = random.Next(xml.Length);
                return ($"truncated at {at}", Encoding.UTF8.GetBytes(xml[..at]));
            case 1:
                return ("text mutations", Encoding.UTF8.GetBytes(Mutate.Text(random, xml, 500_000)));
            case 2:
                return ("wrong encoding", WrongEncoding(random, xml));
            case 3:
                var depth = random.Next(2) == 0 ? random.Next(50, 400) : random.Next(5_000, 60_000);
                return ($"sub-processes nested {depth} deep", Encoding.UTF8.GetBytes(Nested(depth)));
            default:
                XDocument document;
                try
                {
                    document = XDocument.Parse(xml);
                }
                catch (System.Xml.XmlException)
                {
                    return ("unparsable seed", Encoding.UTF8.GetBytes(xml));
                }

                var mutation = Structural(random, document);

                // Written as it is: control characters the mutation put in stay (the importer must refuse them, not the test).
                var text = new StringWriter(CultureInfo.InvariantCulture);
                using (var writer = System.Xml.XmlWriter.Create(text, new System.Xml.XmlWriterSettings { CheckCharacters = false, OmitXmlDeclaration = true }))
                {
                    document.Root!.WriteTo(writer);
                }

                return (mutation, Encoding.UTF8.GetBytes(document.Declaration + text.ToString()));
        }
    }

    /// <summary>A change to the model's structure: ids duplicated, flows looping or dangling, huge or garbage attributes, elements moved or dropped.</summary>
    private static string Structural(Random random, XDocument document)
    {
        var elements = document.Descendants().ToList();
        var withId = elements.Where(e => e.Attribute("id") is not null).ToList();
        var nodes = withId.Where(e => e.Name.NamespaceName == Bpmn && e.Name.LocalName is not ("sequenceFlow" or "process" or "definitions")).ToList();
        var flows = elements.Where(e => e.Name == XName.Get("sequenceFlow", Bpmn)).ToList();
        var pick = (List<XElement> list) => list[random.Next(list.Count)];
        switch (random.Next(8))
        {
            case 0 when withId.Count >= 2:
                var (a, b) = (pick(withId), pick(withId));
                b.SetAttributeValue("id", (string?)a.Attribute("id"));
                return $"id '{(string?)a.Attribute("id")}' duplicated on <{b.Name.LocalName}>";
            case 1 when nodes.Count >= 1 && flows.Count >= 1:
                var flow = pick(flows);
                var target = random.Next(2) == 0 ? (string?)flow.Attribute("sourceRef") : (string?)pick(nodes).Attribute("id");
                flow.SetAttributeValue("targetRef", target);
                return $"sequence flow '{(string?)flow.Attribute("id")}' looping back to '{target}'";
            case 2 when flows.Count >= 1:
                var dangling = pick(flows);
                dangling.SetAttributeValue(random.Next(2) == 0 ? "sourceRef" : "targetRef", random.Next(3) == 0 ? null : Mutate.WellFormedFragment(random));
                return $"sequence flow '{(string?)dangling.Attribute("id")}' dangling";
            case 3 when elements.Count >= 1:
                var huge = pick(elements);
                var attribute = random.Next(3) switch { 0 => "id", 1 => "name", _ => "{http://camunda.org/schema/1.0/bpmn}assignee" };
                var length = random.Next(4) > 0 ? random.Next(1_000, 100_000) : random.Next(500_000, 1_500_000);
                huge.SetAttributeValue(attribute, new string('长', length));
                return $"a {length}-character {attribute} on <{huge.Name.LocalName}>";
            case 4 when elements.Count >= 1:
                var garbage = pick(elements);
                var name = random.Next(5) switch
                {
                    0 => "{http://camunda.org/schema/1.0/bpmn}asyncBefore",
                    1 => "{http://camunda.org/schema/1.0/bpmn}failedJobRetryTimeCycle",
                    2 => "{http://camunda.org/schema/1.0/bpmn}dueDate",
                    3 => "{http://camunda.org/schema/1.0/bpmn}delegateExpression",
                    _ => "isExecutable",
                };
                var value = Mutate.WellFormed(random.Next(2) == 0 ? "${" + Mutate.Text(random, "a.b(c) + 1", 10_000) : Mutate.Fragment(random));
                garbage.SetAttributeValue(name, value);
                return $"{XName.Get(name).LocalName}=\"{Shorten(value)}\" on <{garbage.Name.LocalName}>";
            case 5 when elements.Count >= 2:
                var moved = pick(elements);
                var into = pick(elements);
                if (moved.Parent is null || into == moved || into.Ancestors().Contains(moved))
                {
                    return "nothing moved";
                }

                moved.Remove();
                into.Add(moved);
                return $"<{moved.Name.LocalName}> moved into <{into.Name.LocalName}>";
            case 6 when elements.Count >= 2:
                var removed = pick(elements);
                if (removed.Parent is null)
                {
                    return "nothing removed";
                }

                removed.Remove();
                return $"<{removed.Name.LocalName}> removed";
            default:
                var timer = new XElement(XName.Get("timerEventDefinition", Bpmn), new XElement(XName.Get(random.Next(2) == 0 ? "timeDuration" : "timeCycle", Bpmn), Mutate.WellFormedFragment(random) + "P" + random.Next(-5, 99999999).ToString(CultureInfo.InvariantCulture) + "D"));
                var host = nodes.Count > 0 ? pick(nodes) : document.Root!;
                host.Add(timer);
                return $"timer '{Shorten(timer.Value)}' in <{host.Name.LocalName}>";
        }
    }

    private static byte[] WrongEncoding(Random random, string xml)
    {
        var body = xml.StartsWith("<?xml", StringComparison.Ordinal) ? xml[(xml.IndexOf("?>", StringComparison.Ordinal) + 2)..] : xml;
        var declared = new[] { "UTF-8", "UTF-16", "GBK", "GB18030", "ISO-8859-1", "EBCDIC", "x-unknown" }[random.Next(7)];
        return Mutate.Bytes(random, $"<?xml version=\"1.0\" encoding=\"{declared}\"?>" + body);
    }

    private static string Nested(int depth)
    {
        var xml = new StringBuilder($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><definitions xmlns=\"{Bpmn}\" id=\"d\"><process id=\"p\" isExecutable=\"true\"><startEvent id=\"start\"/>");
        for (var i = 0; i < depth; i++)
        {
            xml.Append("<subProcess id=\"s").Append(i).Append("\">");
        }

        xml.Append("<task id=\"deep\"/>");
        for (var i = 0; i < depth; i++)
        {
            xml.Append("</subProcess>");
        }

        return xml.Append("</process></definitions>").ToString();
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + $"...({value.Length} chars)";
}
