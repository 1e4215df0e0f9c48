// Per-runspace environment for simulated hosts. PowerShell's own Environment provider reads and
// writes the process environment, which every runspace of a worker shares; this provider keeps
// one dictionary per drive instead, so each command sees its own host's $env:COMPUTERNAME.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Provider;

namespace AetherV.HostSim
{
    public sealed class SimEnvironmentDrive : PSDriveInfo
    {
        public SimEnvironmentDrive(ProviderInfo provider, IDictionary<string, string> variables)
            : base("Env", provider, string.Empty, "Simulated host environment", null)
        {
            Variables = new Dictionary<string, string>(variables, StringComparer.OrdinalIgnoreCase);
        }

        public Dictionary<string, string> Variables { get; }
    }

    [CmdletProvider("SimEnvironment", ProviderCapabilities.ShouldProcess)]
    public sealed class SimEnvironmentProvider : ContainerCmdletProvider, IContentCmdletProvider
    {
        private Dictionary<string, string> Vars
        {
            get {
                if (PSDriveInfo is SimEnvironmentDrive drive)
                    return drive.Variables;
                throw new PSInvalidOperationException("The Env: drive of this runspace is missing.");
            }
        }

        private static string Name(string path) => (path ?? string.Empty).Trim('\\', '/');

        protected override Collection<PSDriveInfo> InitializeDefaultDrives() => new();

        protected override PSDriveInfo NewDrive(PSDriveInfo drive) => drive;

        protected override bool IsValidPath(string path) => true;

        protected override bool ItemExists(string path)
        {
            var name = Name(path);
            return name.Length == 0 || Vars.ContainsKey(name);
        }

        protected override void GetItem(string path)
        {
            var name = Name(path);
            if (name.Length == 0) {
                WriteItemObject(PSDriveInfo, path, true);
                return;
            }
            if (Vars.TryGetValue(name, out var value))
                WriteItemObject(new DictionaryEntry(Canonical(name), value), name, false);
            else
                WriteError(NotFound(name));
        }

        protected override void SetItem(string path, object value)
        {
            var name = Name(path);
            var text = Unwrap(value);
            if (!ShouldProcess(name, "Set"))
                return;
            if (string.IsNullOrEmpty(text))
                Vars.Remove(name);
            else
                Vars[Canonical(name)] = text;
        }

        protected override void ClearItem(string path) => Vars.Remove(Name(path));

        protected override void GetChildItems(string path, bool recurse)
        {
            foreach (var pair in Vars.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase))
                WriteItemObject(new DictionaryEntry(pair.Key, pair.Value), pair.Key, false);
        }

        protected override void GetChildNames(string path, ReturnContainers returnContainers)
        {
            foreach (var key in Vars.Keys.OrderBy(k => k, StringComparer.OrdinalIgnoreCase))
                WriteItemObject(key, key, false);
        }

        protected override bool HasChildItems(string path) => Name(path).Length == 0 && Vars.Count > 0;

        protected override void RemoveItem(string path, bool recurse)
        {
            var name = Name(path);
            if (!Vars.Remove(name))
                WriteError(NotFound(name));
        }

        protected override void NewItem(string path, string itemTypeName, object newItemValue)
        {
            var name = Name(path);
            Vars[name] = Unwrap(newItemValue) ?? string.Empty;
            WriteItemObject(new DictionaryEntry(name, Vars[name]), name, false);
        }

        protected override void RenameItem(string path, string newName)
        {
            var name = Name(path);
            if (!Vars.TryGetValue(name, out var value)) {
                WriteError(NotFound(name));
                return;
            }
            Vars.Remove(name);
            Vars[newName] = value;
        }

        public IContentReader GetContentReader(string path)
        {
            var name = Name(path);
            if (!Vars.TryGetValue(name, out var value))
                throw new ItemNotFoundException($"Cannot find path '{name}' because it does not exist.");
            return new ValueReader(value);
        }

        public object GetContentReaderDynamicParameters(string path) => null;

        public IContentWriter GetContentWriter(string path) => new ValueWriter(Vars, Canonical(Name(path)));

        public object GetContentWriterDynamicParameters(string path) => null;

        public void ClearContent(string path) => Vars.Remove(Name(path));

        public object ClearContentDynamicParameters(string path) => null;

        private string Canonical(string name)
        {
            var existing = Vars.Keys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
            return existing ?? name;
        }

        private static string Unwrap(object value)
        {
            if (value is PSObject ps)
                value = ps.BaseObject;
            if (value is IList list && list.Count == 1)
                value = list[0] is PSObject inner ? inner.BaseObject : list[0];
            return value?.ToString();
        }

        private static ErrorRecord NotFound(string name) => new(
            new ItemNotFoundException($"Cannot find path '{name}' because it does not exist."),
            "PathNotFound", ErrorCategory.ObjectNotFound, name);

        private sealed class ValueReader : IContentReader
        {
            private string m_value;
            public ValueReader(string value) { m_value = value; }
            public IList Read(long readCount)
            {
                var result = new ArrayList();
                if (m_value != null)
                    result.Add(m_value);
                m_value = null;
                return result;
            }
            public void Seek(long offset, System.IO.SeekOrigin origin) { }
            public void Close() { }
            public void Dispose() { }
        }

        private sealed class ValueWriter : IContentWriter
        {
            private readonly Dictionary<string, string> m_vars;
            private readonly string m_name;
            public ValueWriter(Dictionary<string, string> vars, string name) { m_vars = vars; m_name = name; }
            public IList Write(IList content)
            {
                var text = content == null ? null : Unwrap(content.Count == 1 ? content[0] : string.Join(string.Empty, content.Cast<object>()));
                if (string.IsNullOrEmpty(text))
                    m_vars.Remove(m_name);
                else
                    m_vars[m_name] = text;
                return content;
            }
            public void Seek(long offset, System.IO.SeekOrigin origin) { }
            public void Close() { }
            public void Dispose() { }
        }
    }
}
