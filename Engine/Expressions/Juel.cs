using System.Globalization;
using System.Text;

namespace ComplaintWorkflows.Engine.Expressions;

/// <summary>A JUEL expression translated to the JavaScript that runs in its place.</summary>
public sealed record JuelTranslation(string Juel, string JavaScript);

/// <summary>
/// <c>${bean.method(args)}</c> as written: a method called on a name. When the name is a registered activity the engine
/// runs the activity (Camunda's <c>${bean.execute(execution)}</c>) instead of evaluating the expression.
/// </summary>
public sealed record BeanCall(string Bean, string Method, IReadOnlyList<string> Arguments);

/// <summary>
/// Camunda 7's expression language (JUEL, the Unified Expression Language) for the forms Camunda models use:
/// <c>and or not empty eq ne lt gt le ge div mod</c>, comparisons, arithmetic, the conditional operator, property and
/// index access, method calls. A tokenizer and a recursive-descent parser, translating to JavaScript with JUEL's
/// meaning where the two differ: property access on null gives null, <c>+</c> adds numbers, <c>empty</c> is true of
/// null, "" and empty lists and maps. What it does not translate (functions <c>ns:f()</c>, lambdas, assignments,
/// collection literals, <c>instanceof</c>) is an <see cref="ExpressionException"/> naming the construct and its position.
/// </summary>
public static class Juel
{
    private const string EmptyHelper = "((v) => v == null || v === '' || (typeof v === 'object' && !(v instanceof Date) && (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0)))";

    /// <summary>Words that are operators in JUEL and never in JavaScript: their presence says the text was meant as JUEL.</summary>
    private static readonly HashSet<string> WordOperators = new(StringComparer.Ordinal) { "and", "or", "not", "empty", "eq", "ne", "lt", "gt", "le", "ge", "div", "mod" };

    private static readonly HashSet<string> Keywords = new(WordOperators, StringComparer.Ordinal) { "true", "false", "null", "instanceof" };

    /// <summary>Translates the code between <c>${</c> and <c>}</c> to one JavaScript expression.</summary>
    public static string Translate(string code) => new Parser(code).ParseAll().Js;

    /// <summary>True when the code uses a JUEL word operator (<c>and</c>, <c>not</c>, <c>empty</c>, <c>eq</c>...) where JavaScript has none.</summary>
    public static bool LooksLikeJuel(string code)
    {
        try
        {
            var tokens = Tokenize(code);
            var conditional = tokens.Any(t => t.Kind == TokenKind.Symbol && t.Text == "?");
            for (var i = 0; i < tokens.Count - 1; i++)
            {
                var token = tokens[i];
                if (token.Kind != TokenKind.Identifier)
                {
                    continue;
                }

                // prefix:function( is JUEL's function call (outside a conditional, where ':' is the conditional's).
                if (!conditional && tokens[i + 1].Text == ":" && i + 3 < tokens.Count && tokens[i + 2].Kind == TokenKind.Identifier && tokens[i + 3].Text == "(")
                {
                    return true;
                }

                if (!WordOperators.Contains(token.Text) || (i > 0 && tokens[i - 1].Text == ".") || tokens[i + 1].Text is "." or "(" or "[" or "=")
                {
                    continue;
                }

                // A word in operator position: after an operand for the binary ones, before one (and not after one) for not and empty.
                var afterOperand = i > 0 && EndsOperand(tokens[i - 1]);
                if (token.Text is "not" or "empty" ? !afterOperand && StartsOperand(tokens[i + 1]) : afterOperand)
                {
                    return true;
                }
            }

            return false;
        }
        catch (ExpressionException)
        {
            return false;
        }
    }

    /// <summary>The bean call the code is, when it is exactly <c>name.method(arguments)</c> with plain names as arguments.</summary>
    public static BeanCall? ReadBeanCall(string code)
    {
        try
        {
            return new Parser(code).ParseAll().Call;
        }
        catch (ExpressionException)
        {
            return null;
        }
    }

    private enum TokenKind
    {
        Number,
        String,
        Identifier,
        Symbol,
        End,
    }

    private readonly record struct Token(TokenKind Kind, string Text, int Position, string? Value = null);

    private sealed record Node(string Js, int Precedence = 100, BeanCall? Call = null);

    private static bool StartsOperand(Token token)
        => token.Kind is TokenKind.Number or TokenKind.String or TokenKind.Identifier || token.Text is "(" or "!" or "-";

    private static bool EndsOperand(Token token)
        => token.Kind is TokenKind.Number or TokenKind.String || (token.Kind == TokenKind.Identifier && !WordOperators.Contains(token.Text)) || token.Text is ")" or "]";

    private static List<Token> Tokenize(string code)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < code.Length)
        {
            var c = code[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < code.Length && char.IsAsciiDigit(code[i + 1])))
            {
                while (i < code.Length && (char.IsAsciiDigit(code[i]) || code[i] == '.'))
                {
                    i++;
                }

                if (i < code.Length && code[i] is 'e' or 'E')
                {
                    i++;
                    if (i < code.Length && code[i] is '+' or '-')
                    {
                        i++;
                    }

                    while (i < code.Length && char.IsAsciiDigit(code[i]))
                    {
                        i++;
                    }
                }

                var number = code[start..i];
                if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    throw Problem(code, start, $"'{number}' is not a number");
                }

                tokens.Add(new Token(TokenKind.Number, number, start));
                continue;
            }

            if (c is '\'' or '"')
            {
                var text = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= code.Length)
                    {
                        throw Problem(code, start, "the string is not closed");
                    }

                    if (code[i] == '\\' && i + 1 < code.Length)
                    {
                        text.Append(code[i + 1]);
                        i += 2;
                        continue;
                    }

                    if (code[i] == c)
                    {
                        i++;
                        break;
                    }

                    text.Append(code[i++]);
                }

                tokens.Add(new Token(TokenKind.String, code[start..i], start, text.ToString()));
                continue;
            }

            if (char.IsLetter(c) || c is '_' or '$')
            {
                while (i < code.Length && (char.IsLetterOrDigit(code[i]) || code[i] is '_' or '$'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Identifier, code[start..i], start));
                continue;
            }

            var two = i + 1 < code.Length ? code.Substring(i, 2) : null;
            if (two is "==" or "!=" or "<=" or ">=" or "&&" or "||" or "->" or "+=")
            {
                tokens.Add(new Token(TokenKind.Symbol, two, start));
                i += 2;
                continue;
            }

            if ("+-*/%!<>?:.,()[]{}=;".Contains(c, StringComparison.Ordinal))
            {
                tokens.Add(new Token(TokenKind.Symbol, c.ToString(), start));
                i++;
                continue;
            }

            throw Problem(code, start, $"'{c}' is not part of JUEL");
        }

        tokens.Add(new Token(TokenKind.End, "", code.Length));
        return tokens;
    }

    private static ExpressionException Problem(string code, int position, string what)
        => new($"The JUEL expression \"{code}\" cannot be translated at position {position + 1}: {what}.") { IsUntranslatableJuel = true };

    private static string JsString(string value)
    {
        var text = new StringBuilder("'");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '\'' => "\\'",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\u2028' => "\\u2028",
                '\u2029' => "\\u2029",
                _ => c.ToString(),
            });
        }

        return text.Append('\'').ToString();
    }

    private sealed class Parser(string code)
    {
        private readonly List<Token> _tokens = Tokenize(code);
        private int _next;

        private Token Current => _tokens[_next];

        public Node ParseAll()
        {
            var node = Conditional();
            if (Current.Kind != TokenKind.End)
            {
                throw Unexpected();
            }

            return node;
        }

        private Node Conditional()
        {
            var condition = Or();
            if (!Accept("?"))
            {
                return condition;
            }

            var then = Conditional();
            Expect(":");
            var otherwise = Conditional();
            return new Node($"({condition.Js} ? {then.Js} : {otherwise.Js})");
        }

        private Node Or() => Binary(And, ("||", "||"), ("or", "||"));

        private Node And() => Binary(Equality, ("&&", "&&"), ("and", "&&"));

        private Node Equality() => Binary(Relational, ("==", "=="), ("eq", "=="), ("!=", "!="), ("ne", "!="));

        private Node Relational() => Binary(Additive, ("<", "<"), ("lt", "<"), (">", ">"), ("gt", ">"), ("<=", "<="), ("le", "<="), (">=", ">="), ("ge", ">="));

        private Node Additive()
        {
            var left = Multiplicative();
            while (Current.Text is "+" or "-" && Current.Kind == TokenKind.Symbol)
            {
                var op = Take().Text;
                var right = Multiplicative();

                // JUEL's + adds numbers (it coerces strings and null to numbers); JavaScript's would concatenate.
                left = new Node(op == "+" ? $"(+({left.Js}) + +({right.Js}))" : $"({left.Js} - {right.Js})");
            }

            return left;
        }

        private Node Multiplicative() => Binary(Unary, ("*", "*"), ("/", "/"), ("div", "/"), ("%", "%"), ("mod", "%"));

        private Node Binary(Func<Node> operand, params (string Juel, string Js)[] operators)
        {
            var left = operand();
            while (true)
            {
                var token = Current;
                var match = operators.FirstOrDefault(o => o.Juel == token.Text && (token.Kind == TokenKind.Symbol || (token.Kind == TokenKind.Identifier && char.IsLetter(o.Juel[0]))));
                if (match.Juel is null)
                {
                    return left;
                }

                Take();
                var right = operand();
                left = new Node($"({left.Js} {match.Js} {right.Js})");
            }
        }

        private Node Unary()
        {
            var token = Current;
            if (token.Kind == TokenKind.Symbol && token.Text is "-" or "!")
            {
                Take();
                return new Node($"{token.Text}{Unary().Js}");
            }

            if (token.Kind == TokenKind.Identifier && token.Text is "not" or "empty")
            {
                Take();
                var operand = Unary();
                return new Node(token.Text == "not" ? $"!{operand.Js}" : $"{EmptyHelper}({operand.Js})");
            }

            return Postfix();
        }

        private Node Postfix()
        {
            var start = Current;
            var node = Primary();
            var steps = 0;
            BeanCall? call = null;
            while (true)
            {
                if (Accept("."))
                {
                    var name = Current;
                    if (name.Kind != TokenKind.Identifier)
                    {
                        throw Unexpected();
                    }

                    Take();
                    if (Accept("("))
                    {
                        var (arguments, plainNames) = Arguments();
                        call = steps == 0 && start.Kind == TokenKind.Identifier && plainNames is not null ? new BeanCall(start.Text, name.Text, plainNames) : null;
                        node = new Node($"{node.Js}?.{name.Text}({string.Join(", ", arguments)})");
                    }
                    else
                    {
                        call = null;
                        node = new Node($"{node.Js}?.{name.Text}");
                    }

                    steps++;
                    continue;
                }

                if (Accept("["))
                {
                    var index = Conditional();
                    Expect("]");
                    node = new Node($"{node.Js}?.[{index.Js}]");
                    call = null;
                    steps++;
                    continue;
                }

                if (Current.Kind == TokenKind.Symbol && Current.Text == "(")
                {
                    throw Problem(code, Current.Position, "only methods can be called (name.method(...)); functions are not translated");
                }

                return node with { Call = call };
            }
        }

        private (List<string> Js, List<string>? PlainNames) Arguments()
        {
            var js = new List<string>();
            List<string>? names = [];
            if (Accept(")"))
            {
                return (js, names);
            }

            do
            {
                var token = Current;
                var argument = Conditional();
                js.Add(argument.Js);
                if (token.Kind == TokenKind.Identifier && argument.Js == token.Text)
                {
                    names?.Add(token.Text);
                }
                else
                {
                    names = null;
                }
            }
            while (Accept(","));
            Expect(")");
            return (js, names);
        }

        private Node Primary()
        {
            var token = Take();
            switch (token.Kind)
            {
                case TokenKind.Number:
                    return new Node(token.Text);
                case TokenKind.String:
                    return new Node(JsString(token.Value!));
                case TokenKind.Identifier when token.Text is "true" or "false" or "null":
                    return new Node(token.Text);
                case TokenKind.Identifier when token.Text == "instanceof":
                    throw Problem(code, token.Position, "instanceof is not translated");
                case TokenKind.Identifier when Keywords.Contains(token.Text):
                    throw Problem(code, token.Position, $"'{token.Text}' is an operator and needs an operand before it");
                case TokenKind.Identifier:
                    if (Current.Kind == TokenKind.Symbol && Current.Text == ":" && _tokens[_next + 1].Kind == TokenKind.Identifier && _tokens[_next + 2].Text == "(")
                    {
                        throw Problem(code, token.Position, $"the function {token.Text}:{_tokens[_next + 1].Text}() is not translated");
                    }

                    return new Node(token.Text);
                case TokenKind.Symbol when token.Text == "(":
                    var inner = Conditional();
                    Expect(")");
                    return new Node($"({inner.Js})");
                default:
                    if (token.Kind != TokenKind.End)
                    {
                        _next--;
                    }

                    throw Unexpected();
            }
        }

        private Token Take() => _tokens[_next < _tokens.Count - 1 ? _next++ : _next];

        private bool Accept(string symbol)
        {
            if (Current.Kind == TokenKind.Symbol && Current.Text == symbol)
            {
                _next++;
                return true;
            }

            return false;
        }

        private void Expect(string symbol)
        {
            if (!Accept(symbol))
            {
                throw Unexpected($"'{symbol}' expected");
            }
        }

        private ExpressionException Unexpected(string? expected = null)
        {
            var token = Current;
            var what = token.Text switch
            {
                "" => "the expression ends too early",
                "instanceof" => "instanceof is not translated",
                "->" => "lambda expressions are not translated",
                "=" or "+=" => "assignments are not translated",
                ";" => "several expressions separated by ';' are not translated",
                "{" or "[" => "collection literals are not translated",
                _ => $"'{token.Text}' is not expected here",
            };
            return Problem(code, token.Position, expected is null || token.Text is "->" or "=" or "+=" or ";" or "instanceof" ? what : $"{what} ({expected})");
        }
    }
}
