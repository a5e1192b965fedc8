using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text;

namespace IncidentService.Tests.Api;

/// <summary>
/// Which folder of the Api assembly uses which, read from the compiled assembly: every type a type names in its base
/// types, interfaces, fields, signatures, locals, attributes and IL (calls, field accesses, type tokens, generic
/// arguments). Generated code counts too (closures, state machines, source generators): it is what runs. A folder is
/// a namespace below <c>IncidentService.Api</c>; top-level <c>Program</c> is its own node. Constants leave no trace in
/// the assembly (the compiler copies their values), so the source files' <c>using</c> directives are added as well:
/// the build refuses an unnecessary one, so each stands for a real use.
/// </summary>
internal sealed class ApiFolderGraph
{
    private const string Root = "IncidentService.Api";

    private ApiFolderGraph(SortedDictionary<string, SortedDictionary<string, SortedSet<string>>> edges, SortedSet<string> folders) =>
        (Edges, Folders) = (edges, folders);

    /// <summary>From folder → to folder → the "FromType → ToType" pairs that make the edge.</summary>
    public SortedDictionary<string, SortedDictionary<string, SortedSet<string>>> Edges { get; }

    public SortedSet<string> Folders { get; }

    public IEnumerable<string> ImportsOf(string folder) => Edges.TryGetValue(folder, out var to) ? to.Keys : [];

    public static ApiFolderGraph Read(string assemblyPath, string? sourceDirectory = null)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var edges = new SortedDictionary<string, SortedDictionary<string, SortedSet<string>>>(StringComparer.Ordinal);
        var folders = new SortedSet<string>(StringComparer.Ordinal);
        var provider = new TypeCollector(reader);

        foreach (var handle in reader.TypeDefinitions)
        {
            var (fromFolder, fromName) = Owner(reader, handle);
            if (fromFolder is null)
            {
                continue;
            }

            folders.Add(fromFolder);
            provider.Found.Clear();
            CollectType(reader, pe, provider, handle);
            foreach (var used in provider.Found)
            {
                var (toFolder, toName) = Owner(reader, used);
                if (toFolder is null || toFolder == fromFolder)
                {
                    continue;
                }

                if (!edges.TryGetValue(fromFolder, out var targets))
                {
                    edges[fromFolder] = targets = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
                }

                if (!targets.TryGetValue(toFolder, out var pairs))
                {
                    targets[toFolder] = pairs = new SortedSet<string>(StringComparer.Ordinal);
                }

                pairs.Add($"{fromName} → {toName}");
            }
        }

        if (sourceDirectory is not null)
        {
            AddUsings(sourceDirectory, edges, folders);
        }

        return new ApiFolderGraph(edges, folders);
    }

    private static void AddUsings(string sourceDirectory, SortedDictionary<string, SortedDictionary<string, SortedSet<string>>> edges, SortedSet<string> folders)
    {
        foreach (var file in Directory.EnumerateFiles(sourceDirectory, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            var lines = File.ReadAllLines(file);
            var space = lines.FirstOrDefault(l => l.StartsWith("namespace ", StringComparison.Ordinal))?["namespace ".Length..].TrimEnd(';', ' ');
            var from = space is null ? "Program" : FolderOf(space);
            if (from is null)
            {
                continue;
            }

            foreach (var line in lines.Where(l => l.StartsWith($"using {Root}.", StringComparison.Ordinal)))
            {
                var to = FolderOf(line["using ".Length..].TrimEnd(';', ' '));
                if (to is null || to == from || !folders.Contains(to))
                {
                    continue;
                }

                if (!edges.TryGetValue(from, out var targets))
                {
                    edges[from] = targets = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
                }

                if (!targets.TryGetValue(to, out var pairs))
                {
                    targets[to] = pairs = new SortedSet<string>(StringComparer.Ordinal);
                }

                pairs.Add($"{Path.GetFileName(file)}: using");
            }
        }
    }

    private static string? FolderOf(string space) =>
        space == Root ? "(root)" : space.StartsWith(Root + ".", StringComparison.Ordinal) ? space[(Root.Length + 1)..].Replace('.', '/') : null;

    /// <summary>Sets of folders that import each other, directly or around a loop (strongly connected, more than one folder).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = 0;
        var indices = new Dictionary<string, int>();
        var lowLinks = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var cycles = new List<IReadOnlyList<string>>();

        foreach (var folder in Folders)
        {
            if (!indices.ContainsKey(folder))
            {
                Connect(folder);
            }
        }

        return cycles;

        void Connect(string folder)
        {
            indices[folder] = lowLinks[folder] = index++;
            stack.Push(folder);
            onStack.Add(folder);
            foreach (var next in ImportsOf(folder))
            {
                if (!indices.ContainsKey(next))
                {
                    Connect(next);
                    lowLinks[folder] = Math.Min(lowLinks[folder], lowLinks[next]);
                }
                else if (onStack.Contains(next) && indices.TryGetValue(next, out var seen))
                {
                    lowLinks[folder] = Math.Min(lowLinks[folder], seen);
                }
            }

            if (lowLinks[folder] == indices[folder])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != folder);

                if (component.Count > 1)
                {
                    component.Sort(StringComparer.Ordinal);
                    cycles.Add(component);
                }
            }
        }
    }

    /// <summary>One line per folder with what it imports; with <paramref name="why"/>, the type pairs behind each edge.</summary>
    public string Render(bool why = false)
    {
        var text = new StringBuilder();
        foreach (var folder in Folders)
        {
            text.Append(folder).Append(" → ").AppendLine(string.Join(", ", ImportsOf(folder)) is { Length: > 0 } list ? list : "(nothing)");
            if (why && Edges.TryGetValue(folder, out var targets))
            {
                foreach (var (to, pairs) in targets)
                {
                    text.Append("    ").Append(to).Append(": ").AppendLine(string.Join("; ", pairs));
                }
            }
        }

        return text.ToString();
    }

    /// <summary>The folder and name of the type declaring <paramref name="handle"/> at the top level; no folder outside Api.</summary>
    private static (string? Folder, string Name) Owner(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        while (type.GetDeclaringType() is { IsNil: false } outer)
        {
            type = reader.GetTypeDefinition(outer);
        }

        var name = reader.GetString(type.Name);
        var space = reader.GetString(type.Namespace);
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        name = tick < 0 ? name : name[..tick];
        if (space.Length == 0)
        {
            return (name == "Program" ? "Program" : null, name);
        }

        if (space == Root)
        {
            return ("(root)", name);
        }

        return space.StartsWith(Root + ".", StringComparison.Ordinal) ? (space[(Root.Length + 1)..].Replace('.', '/'), name) : (null, name);
    }

    private static void CollectType(MetadataReader reader, PEReader pe, TypeCollector provider, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        provider.Add(type.BaseType);
        foreach (var implementation in type.GetInterfaceImplementations())
        {
            provider.Add(reader.GetInterfaceImplementation(implementation).Interface);
        }

        CollectGenericParameters(reader, provider, type.GetGenericParameters());
        CollectAttributes(reader, provider, type.GetCustomAttributes());
        foreach (var fieldHandle in type.GetFields())
        {
            var field = reader.GetFieldDefinition(fieldHandle);
            field.DecodeSignature(provider, null);
            CollectAttributes(reader, provider, field.GetCustomAttributes());
        }

        foreach (var propertyHandle in type.GetProperties())
        {
            var property = reader.GetPropertyDefinition(propertyHandle);
            property.DecodeSignature(provider, null);
            CollectAttributes(reader, provider, property.GetCustomAttributes());
        }

        foreach (var eventHandle in type.GetEvents())
        {
            var definition = reader.GetEventDefinition(eventHandle);
            provider.Add(definition.Type);
            CollectAttributes(reader, provider, definition.GetCustomAttributes());
        }

        foreach (var methodHandle in type.GetMethods())
        {
            var method = reader.GetMethodDefinition(methodHandle);
            method.DecodeSignature(provider, null);
            CollectAttributes(reader, provider, method.GetCustomAttributes());
            CollectGenericParameters(reader, provider, method.GetGenericParameters());
            foreach (var parameter in method.GetParameters())
            {
                CollectAttributes(reader, provider, reader.GetParameter(parameter).GetCustomAttributes());
            }

            if (method.RelativeVirtualAddress != 0)
            {
                CollectBody(reader, provider, pe.GetMethodBody(method.RelativeVirtualAddress));
            }
        }
    }

    private static void CollectGenericParameters(MetadataReader reader, TypeCollector provider, GenericParameterHandleCollection parameters)
    {
        foreach (var parameter in parameters)
        {
            foreach (var constraint in reader.GetGenericParameter(parameter).GetConstraints())
            {
                provider.Add(reader.GetGenericParameterConstraint(constraint).Type);
            }
        }
    }

    private static void CollectAttributes(MetadataReader reader, TypeCollector provider, CustomAttributeHandleCollection attributes)
    {
        foreach (var attribute in attributes)
        {
            provider.Add(reader.GetCustomAttribute(attribute).Constructor);
        }
    }

    private static void CollectBody(MetadataReader reader, TypeCollector provider, MethodBodyBlock body)
    {
        if (!body.LocalSignature.IsNil)
        {
            reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(provider, null);
        }

        foreach (var region in body.ExceptionRegions)
        {
            provider.Add(region.CatchType);
        }

        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            var code = (int)il.ReadByte();
            var opCode = code == 0xFE ? TwoByte[il.ReadByte()] : OneByte[code];
            switch (opCode.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok or OperandType.InlineSig:
                    provider.Add(MetadataTokens.EntityHandle(il.ReadInt32()));
                    break;
                case OperandType.InlineSwitch:
                    il.Offset += 4 * il.ReadInt32();
                    break;
                default:
                    il.Offset += OperandSize(opCode.OperandType);
                    break;
            }
        }
    }

    private static int OperandSize(OperandType operand) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };

    private static readonly OpCode[] OneByte = new OpCode[256];
    private static readonly OpCode[] TwoByte = new OpCode[256];

#pragma warning disable CA1810 // the tables are filled from OpCodes' fields, which no initializer expression can do
    static ApiFolderGraph()
#pragma warning restore CA1810
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var opCode = (OpCode)field.GetValue(null)!;
            var value = (ushort)opCode.Value;
            if (opCode.Size == 1)
            {
                OneByte[value] = opCode;
            }
            else
            {
                TwoByte[value & 0xFF] = opCode;
            }
        }
    }

    /// <summary>Gathers every type definition of the assembly that a handle or signature names.</summary>
    private sealed class TypeCollector(MetadataReader reader) : ISignatureTypeProvider<object?, object?>
    {
        public HashSet<TypeDefinitionHandle> Found { get; } = [];

        public void Add(EntityHandle handle)
        {
            if (handle.IsNil)
            {
                return;
            }

            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    Found.Add((TypeDefinitionHandle)handle);
                    break;
                case HandleKind.TypeSpecification:
                    reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                    break;
                case HandleKind.MethodDefinition:
                    Found.Add(reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType());
                    break;
                case HandleKind.FieldDefinition:
                    Found.Add(reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType());
                    break;
                case HandleKind.MemberReference:
                    var member = reader.GetMemberReference((MemberReferenceHandle)handle);
                    Add(member.Parent);
                    if (member.GetKind() == MemberReferenceKind.Method)
                    {
                        member.DecodeMethodSignature(this, null);
                    }
                    else
                    {
                        member.DecodeFieldSignature(this, null);
                    }

                    break;
                case HandleKind.MethodSpecification:
                    var specification = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                    Add(specification.Method);
                    specification.DecodeSignature(this, null);
                    break;
                case HandleKind.StandaloneSignature:
                    var signature = reader.GetStandaloneSignature((StandaloneSignatureHandle)handle);
                    if (signature.GetKind() == StandaloneSignatureKind.Method)
                    {
                        signature.DecodeMethodSignature(this, null);
                    }

                    break;
            }
        }

        public object? GetTypeFromDefinition(MetadataReader metadata, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            Found.Add(handle);
            return null;
        }

        public object? GetTypeFromReference(MetadataReader metadata, TypeReferenceHandle handle, byte rawTypeKind) => null;

        public object? GetTypeFromSpecification(MetadataReader metadata, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind)
        {
            Add(handle);
            return null;
        }

        public object? GetArrayType(object? elementType, ArrayShape shape) => null;

        public object? GetByReferenceType(object? elementType) => null;

        public object? GetFunctionPointerType(MethodSignature<object?> signature) => null;

        public object? GetGenericInstantiation(object? genericType, ImmutableArray<object?> typeArguments) => null;

        public object? GetGenericMethodParameter(object? genericContext, int index) => null;

        public object? GetGenericTypeParameter(object? genericContext, int index) => null;

        public object? GetModifiedType(object? modifier, object? unmodifiedType, bool isRequired) => null;

        public object? GetPinnedType(object? elementType) => null;

        public object? GetPointerType(object? elementType) => null;

        public object? GetPrimitiveType(PrimitiveTypeCode typeCode) => null;

        public object? GetSZArrayType(object? elementType) => null;
    }
}
