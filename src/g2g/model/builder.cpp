// Document tree -> ModelSpec: reads every section through the schema table, resolves bus
// references, and expands templates.
//
// Templates are read once into prototypes whose bus references are local (a template bus k is
// k, a port p is -(p + 2)); an instance then only copies prototypes, renames them and maps bus
// indices, so a campus of a million elements written in a few dozen lines expands in one pass and
// a mistake inside a template is reported once, not once per copy. Top-level components may name
// buses that instances create ("row[2]/bus800"), so their references are resolved after
// expansion; the full id map of generated buses is built only if such a name is used.
#include "g2g/model/builder.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <future>
#include <limits>
#include <thread>
#include <unordered_set>

#include "g2g/model/builder_impl.hpp"
#include "g2g/model/loader.hpp"
#include "g2g/model/validate.hpp"

namespace g2g::model::detail {
namespace {

// ---- Scopes -------------------------------------------------------------------------------

// Inside a template: a port or a local bus, nothing else.
class TemplateScope : public Scope {
 public:
  TemplateScope(Builder& builder, const TemplateProto& t, std::vector<std::string> local_buses,
                const std::vector<std::string>& broken)
      : builder_(builder), context_(fmt::format(" in template '{}'", t.name)) {
    for (const auto& name : broken) names_.emplace(name, no_bus);
    for (std::size_t p = 0; p < t.ports.size(); ++p) {
      names_.emplace(t.ports[p], encode_ref(p));
      all_.push_back(t.ports[p]);
    }
    for (std::size_t b = 0; b < local_buses.size(); ++b) {
      names_.emplace(local_buses[b], static_cast<BusIndex>(b));
      all_.push_back(local_buses[b]);
    }
  }
  BusIndex resolve(std::uint32_t node, std::string_view name) override {
    const auto it = names_.find(std::string(name));
    if (it != names_.end()) return it->second;  // no_bus for a bus with an error: reported
    const std::string match = builder_.suggest_bus(name, all_);
    builder_.error_at(
        node, fmt::format("bus '{}'{} is neither a port nor a bus of the template", name, context_),
        match.empty() ? std::string("name one of the template's ports or buses, or "
                                    "add a port for a bus outside the template")
                      : fmt::format("did you mean '{}'?", match));
    return no_bus;
  }
  [[nodiscard]] std::string_view context() const override { return context_; }

 private:
  Builder& builder_;
  std::string context_;
  std::unordered_map<std::string, BusIndex> names_;
  std::vector<std::string> all_;
};

// A component list is split between two threads from this many document nodes (about 7 500
// cables of 8 nodes each): below it, starting a thread is not worth it.
constexpr std::uint32_t split_from_nodes = 60000;

bool location_before(const core::Diagnostic& a, const core::Diagnostic& b) {
  const bool a_known = a.where.line > 0, b_known = b.where.line > 0;
  if (a_known != b_known) return a_known;
  if (a.where.line != b.where.line) return a.where.line < b.where.line;
  return a.where.column < b.where.column;
}

}  // namespace

// ---- Templates and instances --------------------------------------------------------------

void Builder::read_instances(std::uint32_t list, Scope& scope, std::vector<InstanceProto>& out) {
  const SectionInfo& section = *find_section("instance");
  std::unordered_set<std::string_view> ids;
  for (const std::uint32_t n : Children(doc_, list)) {
    if (nodes_[n].type != NodeType::map) {
      error_at(n, fmt::format("an instance must be a map, not {}", type_name(nodes_[n].type)),
               "write e.g. '- {template: rack, id: rack, count: 8, connect: {feed: dc800}}'");
      continue;
    }
    const std::size_t errors = error_count();
    Fields f(*this, n, section, "instance", scope.context());
    InstanceProto inst;
    inst.node = n;
    const auto id = text(f, "id");
    if (id) {
      f.set_id(*id);
      inst.id = std::string(*id);
      if (id->find('/') != std::string_view::npos)
        error_at(f.find("id"), fmt::format("{}: instance ids cannot contain '/'", f.what()),
                 "'/' separates instance paths; use another character such as '_'");
      else if (!ids.insert(*id).second)
        error_at(f.find("id"), fmt::format("{}: id is used by another instance", f.what()),
                 "give each instance its own id");
    }
    if (const auto t = text(f, "template")) {
      inst.template_name = std::string(*t);
      inst.template_node = f.find("template");
    }
    if (f.has("count")) {
      if (auto c = integer(f, "count", 1)) {
        inst.count = *c;
        inst.indexed = true;
      }
    }
    if (const std::uint32_t c = f.find("connect"); c != absent) {
      if (nodes_[c].type != NodeType::map) {
        error_at(c, fmt::format("{}: connect must be a map of port: bus", f.what()),
                 "write e.g. 'connect: {feed: dc800}'");
      } else {
        std::unordered_set<std::string_view> ports;
        for (const std::uint32_t p : Children(doc_, c)) {
          const std::string_view port = nodes_[p].key_str();
          if (!ports.insert(port).second) {
            error_at_key(p, fmt::format("{}: port '{}' is connected twice", f.what(), port),
                         "connect each port once");
            continue;
          }
          if (nodes_[p].type != NodeType::string && nodes_[p].type != NodeType::number) {
            error_at(p, fmt::format("{}: port '{}' must be connected to a bus id", f.what(), port),
                     fmt::format("write e.g. '{}: dc800'", port));
            continue;
          }
          inst.connect.push_back({port, scope.resolve(p, nodes_[p].str()), p});
        }
      }
    }
    if (error_count() == errors) out.push_back(std::move(inst));
  }
}

void Builder::read_template(std::uint32_t n, std::string_view name) {
  TemplateProto t;
  t.name = std::string(name);
  t.node = n;
  if (nodes_[n].type != NodeType::map) {
    error_at(n, fmt::format("template '{}' must be a map with ports, buses, components and "
                            "instances",
                            name));
    t.bad = true;
    templates_.push_back(std::move(t));
    return;
  }
  const std::string context = fmt::format(" in template '{}'", name);
  Fields f(*this, n, *find_section("template"), "template", {});
  f.set_id(name);
  if (const std::uint32_t p = f.find("ports"); p != absent) {
    if (nodes_[p].type != NodeType::seq) {
      error_at(p, fmt::format("template '{}': ports must be a list of names", name),
               "write e.g. 'ports: [feed]'");
    } else {
      for (const std::uint32_t item : Children(doc_, p)) {
        const Node& v = nodes_[item];
        if ((v.type != NodeType::string && v.type != NodeType::number) || v.text_size == 0) {
          error_at(item, fmt::format("template '{}': a port must be a name", name));
          continue;
        }
        if (std::find(t.ports.begin(), t.ports.end(), v.str()) != t.ports.end()) {
          error_at(item, fmt::format("template '{}': port '{}' is listed twice", name, v.str()));
          continue;
        }
        t.ports.emplace_back(v.str());
      }
    }
  }
  std::vector<std::string> local_buses, broken;
  for (const std::string_view list : {"buses", "components", "instances"}) {
    const std::uint32_t l = f.find(list);
    if (l != absent && !is_list(*this, l))
      error_at(l, fmt::format("template '{}': {} must be a list", name, list));
  }
  if (const std::uint32_t b = f.find("buses"); b != absent && is_list(*this, b))
    read_buses(b, t.body.buses, context, &local_buses, broken);
  for (const auto& bus : t.body.buses)
    if (std::find(t.ports.begin(), t.ports.end(), bus.id) != t.ports.end())
      error_at(f.find("buses"),
               fmt::format("template '{}': '{}' is both a port and a bus", name, bus.id),
               "rename the bus or the port");
  TemplateScope scope(*this, t, local_buses, broken);
  if (const std::uint32_t c = f.find("components"); c != absent && is_list(*this, c))
    read_components(Children(doc_, c), scope, t.body, true);
  if (const std::uint32_t i = f.find("instances"); i != absent && is_list(*this, i))
    read_instances(i, scope, t.instances);
  templates_.push_back(std::move(t));
}

void Builder::read_templates(std::uint32_t map) {
  if (nodes_[map].type != NodeType::map) {
    error_at(map, "templates must be a map of template name: template",
             "write e.g. 'templates: {rack: {ports: [feed], buses: [...], components: [...]}}'");
    return;
  }
  std::unordered_set<std::string_view> names;
  for (const std::uint32_t n : Children(doc_, map)) {
    const std::string_view name = nodes_[n].key_str();
    if (!names.insert(name).second) {
      error_at_key(n, fmt::format("template '{}' is defined twice", name), "rename one of them");
      continue;
    }
    in_template_ = true;
    read_template(n, name);
    in_template_ = false;
  }
  for (std::size_t i = 0; i < templates_.size(); ++i)
    template_index_.emplace(templates_[i].name, i);
}

// Finds each instance's template and orders its connections by the template's ports.
void Builder::link_instances(std::vector<InstanceProto>& instances, std::string_view context) {
  std::vector<std::string_view> names;
  for (const auto& t : templates_) names.push_back(t.name);
  for (auto& inst : instances) {
    const auto it = template_index_.find(inst.template_name);
    if (it == template_index_.end()) {
      error_at(inst.template_node,
               fmt::format("instance '{}'{}: unknown template '{}'", inst.id, context,
                           inst.template_name),
               did_you_mean(inst.template_name, names,
                            names.empty() ? std::string("define it under 'templates:'")
                                          : fmt::format("define it under 'templates:'")));
      continue;
    }
    TemplateProto& t = templates_[it->second];
    inst.bindings.assign(t.ports.size(), no_bus);
    std::vector<std::string_view> ports(t.ports.begin(), t.ports.end());
    bool ok = true;
    for (const auto& c : inst.connect) {
      const auto p = std::find(t.ports.begin(), t.ports.end(), c.port);
      if (p == t.ports.end()) {
        error_at_key(
            c.key_node,
            fmt::format("instance '{}'{}: template '{}' has no port '{}'", inst.id, context, t.name,
                        c.port),
            did_you_mean(c.port, ports,
                         ports.empty() ? std::string("the template has no ports")
                                       : fmt::format("its ports are: {}", fmt::join(ports, ", "))));
        ok = false;
        continue;
      }
      inst.bindings[static_cast<std::size_t>(p - t.ports.begin())] = c.bus;
      if (c.bus == no_bus) ok = false;
    }
    for (std::size_t p = 0; p < t.ports.size(); ++p) {
      const bool given = std::any_of(inst.connect.begin(), inst.connect.end(),
                                     [&](const Connection& c) { return c.port == t.ports[p]; });
      if (!given) {
        error_at(inst.node,
                 fmt::format("instance '{}'{}: port '{}' of template '{}' is not connected",
                             inst.id, context, t.ports[p], t.name),
                 fmt::format("add '{}: <bus id>' under connect", t.ports[p]));
        ok = false;
      }
    }
    if (ok) inst.target = &t;
  }
}

// Detects templates that instantiate themselves and counts what one copy creates.
void Builder::analyse(TemplateProto& t, int depth) {
  if (t.state == 2) return;
  t.state = 1;
  t.counts = Counts::of(t.body);
  for (auto& inst : t.instances) {
    if (inst.target == nullptr) continue;
    TemplateProto& child = *inst.target;
    if (child.state == 1) {
      error_at(inst.template_node,
               fmt::format("template '{}' instantiates '{}', which contains '{}' again: templates "
                           "cannot contain themselves",
                           t.name, child.name, t.name),
               fmt::format("remove the instance of '{}' from template '{}'", child.name, t.name));
      t.bad = true;
      continue;
    }
    if (depth >= max_template_depth) {
      error_at(inst.template_node,
               fmt::format("templates nest more than {} levels deep", max_template_depth),
               "flatten the template hierarchy");
      t.bad = true;
      continue;
    }
    analyse(child, depth + 1);
    if (child.bad) t.bad = true;
    t.counts.add_scaled(child.counts, static_cast<std::uint64_t>(inst.count));
  }
  t.state = 2;
}

void Builder::expand(const TemplateProto& t, const std::string& prefix,
                     std::span<const BusIndex> ports, ModelSpec& out) {
  const auto b0 = static_cast<BusIndex>(spec_->buses.size());
  // One origin per instance, shared by its elements; added with the first of them, so that
  // instances with no elements of their own add none.
  std::int32_t origin = no_origin;
  auto rename = [&](auto& e) {
    if (origin == no_origin) {
      origin = static_cast<std::int32_t>(spec_->origins.size());
      spec_->origins.push_back({t.name, prefix});
    }
    std::string id;
    id.reserve(prefix.size() + 1 + e.id.size());
    id.append(prefix).push_back('/');
    id.append(e.id);
    e.id = std::move(id);
    e.origin = origin;
  };
  for (const Bus& proto : t.body.buses) {
    spec_->buses.push_back(proto);
    rename(spec_->buses.back());
  }
  auto map = [&](BusIndex& b) {
    if (b >= 0) {
      b += b0;
    } else if (b != no_bus) {
      b = ports[decode_ref(b)];
    }
  };
  auto stamp = [&](const auto& protos, auto& into) {
    for (const auto& proto : protos) {
      into.push_back(proto);
      rename(into.back());
    }
  };
  for_each_model_kind([&]<typename K>() {
    auto& into = K::elements(out);
    const std::size_t before = into.size();
    stamp(K::elements(t.body), into);
    for (std::size_t i = before; i < into.size(); ++i) {
      for (BusIndex* port : K::ports(into[i])) map(*port);
      // A breaker's settings index the template body's trips: each instance gets its own copy.
      if constexpr (std::is_same_v<typename K::Element, Line>)
        if (into[i].trip >= 0) {
          const Trip trip = t.body.trips[static_cast<std::size_t>(into[i].trip)];
          into[i].trip = static_cast<std::int32_t>(out.trips.size());
          out.trips.push_back(trip);
        }
    }
  });

  std::vector<BusIndex> child_ports;
  for (const auto& inst : t.instances) {
    if (inst.target == nullptr || inst.target->bad) continue;  // reported when linked
    child_ports = inst.bindings;
    for (auto& b : child_ports) map(b);
    for (std::int64_t k = 1; k <= inst.count; ++k) {
      const std::string child = inst.indexed ? fmt::format("{}/{}[{}]", prefix, inst.id, k)
                                             : fmt::format("{}/{}", prefix, inst.id);
      expand(*inst.target, child, child_ports, out);
    }
  }
}

// Where the tail of the top-level component list starts so that the two threads of build()
// get about the same number of document nodes: the buses and the head, or the tail. The list's
// end when it is too short to be worth splitting.
std::uint32_t Builder::tail_start(std::uint32_t buses, std::uint32_t components) const {
  const std::uint32_t end = nodes_[components].end;
  if (end - components < split_from_nodes || std::thread::hardware_concurrency() < 2) return end;
  const std::uint32_t bus_nodes =
      buses != absent && is_list(*this, buses) ? nodes_[buses].end - buses : 0;
  const std::uint32_t half = (bus_nodes + (end - components)) / 2;
  for (const std::uint32_t n : Children(doc_, components))
    if (bus_nodes + (n - components) >= half) return n;
  return end;
}

// Appends the components of a tail read by the helper thread, whose references follow this
// thread's from `shift` on, merges the origins they name into the model's, and adds their
// diagnostics.
void Builder::join_tail(TopPart part, std::size_t shift, ModelSpec& out) {
  for_each_bus_ref(part.spec, [shift](BusIndex& b) {
    if (b < no_bus) b = encode_ref(decode_ref(b) + shift);
  });
  std::vector<std::int32_t> origins;
  origins.reserve(part.spec.origins.size());
  for (Origin& origin : part.spec.origins) origins.push_back(add_origin(std::move(origin)));
  auto join = [&](auto& into, auto& from) {
    for (auto& e : from)
      if (e.origin != no_origin) e.origin = origins[static_cast<std::size_t>(e.origin)];
    append_moved(into, from);
  };
  // The tail's breakers index its own trips: they follow this thread's.
  const auto trips_before = static_cast<std::int32_t>(out.trips.size());
  for (Line& line : part.spec.lines)
    if (line.trip >= 0) line.trip += trips_before;
  append_moved(out.trips, part.spec.trips);
  for_each_model_kind([&]<typename K>() { join(K::elements(out), K::elements(part.spec)); });
  diagnostics_.append(part.diagnostics);
}

BusIndex Builder::find_bus(std::string_view name) {
  BusIndex found = bus_ids_->find(name);
  if (found != no_bus) return found;
  if (mapped_buses_ == spec_->buses.size()) return no_bus;
  // A name not among the top-level buses: map the generated ones too, once.
  for (; mapped_buses_ < spec_->buses.size(); ++mapped_buses_)
    bus_ids_->add(static_cast<BusIndex>(mapped_buses_));
  return bus_ids_->find(name);
}

// ---- The model ----------------------------------------------------------------------------

ModelSpec Builder::build() {
  ModelSpec spec;
  spec.source_file = doc_.file();
  spec_ = &spec;
  if (nodes_.empty() || nodes_[0].type == NodeType::null) {
    diagnostics_.error({doc_.file(), 1, 1}, "the model file is empty",
                       "start it with 'grid2gpu: 1', then name, buses and components (see "
                       "docs/model-format.md)");
    return spec;
  }
  if (nodes_[0].type != NodeType::map) {
    error_at(0,
             fmt::format("a model file must be a map of keys, not {}", type_name(nodes_[0].type)),
             "start the file with 'grid2gpu: 1' (see docs/model-format.md)");
    return spec;
  }
  Fields f(*this, 0, *find_section("model"), "model", {});
  if (const std::uint32_t v = f.find("grid2gpu"); v == absent) {
    error_at(0, "this is not a grid2gpu model: it has no 'grid2gpu' format version",
             "add 'grid2gpu: 1' as the first line");
  } else if (nodes_[v].type != NodeType::number || nodes_[v].str() != "1") {
    error_at(v,
             fmt::format("unsupported format version '{}'; this program reads version 1",
                         nodes_[v].str()),
             "write 'grid2gpu: 1', or use a newer grid2gpu");
  }
  if (f.has("name"))
    if (auto v = text(f, "name")) spec.name = std::string(*v);
  if (auto v = quantity(f, "frequency", Check::positive)) spec.frequency_hz = *v;
  if (const std::uint32_t s = f.find("solver"); s != absent) read_solver(s, spec.solver);

  for (const std::string_view list : {"buses", "components", "instances"}) {
    const std::uint32_t l = f.find(list);
    if (l != absent && !is_list(*this, l))
      error_at(l, fmt::format("{} must be a list", list),
               fmt::format("write each entry on its own line starting with '- '"));
  }
  const std::uint32_t buses = value_node(f, "buses");
  const std::uint32_t components = f.find("components");
  const std::uint32_t instances = f.find("instances");

  // Templates first: instances need them, and their sizes fix how much to reserve.
  if (const std::uint32_t t = f.find("templates"); t != absent) read_templates(t);
  TopScope top;
  std::vector<InstanceProto> top_instances;
  if (instances != absent && is_list(*this, instances))
    read_instances(instances, top, top_instances);
  for (auto& t : templates_) link_instances(t.instances, fmt::format(" in template '{}'", t.name));
  link_instances(top_instances, {});
  for (auto& t : templates_) analyse(t, 0);

  Counts expanded;
  for (const auto& inst : top_instances) {
    if (inst.target == nullptr || inst.target->bad) continue;
    expanded.add_scaled(inst.target->counts, static_cast<std::uint64_t>(inst.count));
    if (expanded.total() > max_model_elements) {
      error_at(inst.node,
               fmt::format("the instances up to '{}' expand to more than {} elements", inst.id,
                           max_model_elements),
               "reduce count, or split the model");
      return spec;
    }
  }
  // Refused before anything is expanded, so a short file cannot make `check` take the memory
  // that solving it would need on a machine that does not have it.
  const std::uint64_t written = nodes_.size();  // generous: what is written is built as well
  const std::uint64_t needed_bytes = (expanded.total() + written) * bytes_per_element_estimate;
  if (memory_limit_bytes_ != 0 && needed_bytes > memory_limit_bytes_ && !top_instances.empty()) {
    error_at(top_instances.back().node,
             fmt::format("the model expands to {} buses and components, which would need about "
                         "{:.1f} GiB to check and solve; the limit is {:.1f} GiB",
                         expanded.total(), static_cast<double>(needed_bytes) / (1u << 30),
                         static_cast<double>(memory_limit_bytes_) / (1u << 30)),
             "reduce count, or raise the limit (--max-memory; in the API, "
             "ModelOptions::memory_limit_bytes)");
    return spec;
  }

  // A long component list is read by two threads: a helper reads its tail while this one reads
  // the buses and the head. Top-level components only record their bus names (TopScope), so the
  // parts are independent until they are joined, in order, below.
  const bool has_components = components != absent && is_list(*this, components);
  const std::uint32_t components_end = has_components ? nodes_[components].end : 0;
  const std::uint32_t tail = has_components ? tail_start(buses, components) : 0;
  std::future<TopPart> tail_part;
  if (has_components && tail != components_end)
    tail_part = std::async(std::launch::async, [&document = doc_, tail, components_end] {
      TopPart part;
      Builder helper(document, part.diagnostics);
      helper.spec_ = &part.spec;  // origins named in the tail go to the part's own list
      const Children items(document, tail, components_end);
      TopScope scope;
      helper.reserve_components(items, part.spec);
      helper.read_components(items, scope, part.spec, false);
      part.refs = std::move(scope.refs);
      return part;
    });

  // Top-level buses, with their ids in the lookup map.
  const std::size_t listed_buses =
      buses != absent && is_list(*this, buses) ? nodes_[buses].count : 0;
  spec.buses.reserve(listed_buses + expanded.buses);
  std::vector<std::string> broken;
  if (buses != absent && is_list(*this, buses)) read_buses(buses, spec.buses, {}, nullptr, broken);
  const std::unordered_set<std::string> broken_ids(broken.begin(), broken.end());
  bus_ids_.emplace(spec.buses);
  bus_ids_->reserve(spec.buses.size());
  for (std::size_t i = 0; i < spec.buses.size(); ++i) {
    if (!bus_ids_->add(static_cast<BusIndex>(i))) {
      diagnostics_.error(location(spec, spec.buses[i].where),
                         fmt::format("bus id '{}' is used by another bus", spec.buses[i].id),
                         "give every bus its own id");
    }
  }
  top_buses_ = mapped_buses_ = spec.buses.size();

  ModelSpec top_parts;
  if (has_components) {
    reserve_components(Children(doc_, components), top_parts);
    read_components(Children(doc_, components + 1, tail), top, top_parts, false);
  }
  // Most references name a top-level bus: look them all up in one pass (the rest, and the
  // errors, are left to resolve_ref below). On a large model the pass runs on a helper thread
  // while this one joins the tail's components.
  TopPart tail_components = tail_part.valid() ? tail_part.get() : TopPart{};
  const std::size_t tail_refs_from = top.refs.size();
  top.refs.insert(top.refs.end(), tail_components.refs.begin(), tail_components.refs.end());
  constexpr BusIndex not_looked_up = std::numeric_limits<BusIndex>::min();
  std::vector<BusIndex> resolved(top.refs.size(), not_looked_up);
  auto look_up_top_buses = [this, &top, &resolved] {
    for (std::size_t r = 0; r < top.refs.size(); ++r) {
      const BusIndex b = bus_ids_->find(top.refs[r].name);
      if (b != no_bus) resolved[r] = b;
    }
  };
  std::future<void> looked_up;
  if (tail != components_end)
    looked_up = std::async(std::launch::async, look_up_top_buses);
  else
    look_up_top_buses();
  if (tail != components_end) join_tail(std::move(tail_components), tail_refs_from, top_parts);
  if (looked_up.valid()) looked_up.get();

  // Instances: resolve their connections, then stamp the templates out.
  ModelSpec generated;
  for_each_model_kind([&]<typename K>() {
    K::elements(generated).reserve(expanded.elements[static_cast<std::size_t>(K::kind)]);
  });
  auto resolve_ref = [&](BusIndex& b) {
    if (b == no_bus || b >= 0) return;
    const std::size_t r = decode_ref(b);
    if (resolved[r] == not_looked_up) {
      resolved[r] = find_bus(top.refs[r].name);
      if (resolved[r] == no_bus && !broken_ids.count(std::string(top.refs[r].name))) {
        const std::string match = suggest_bus(top.refs[r].name, {});
        error_at(top.refs[r].node, fmt::format("there is no bus '{}'", top.refs[r].name),
                 match.empty() ? std::string("name a bus listed under 'buses:'")
                               : fmt::format("did you mean '{}'?", match));
      }
    }
    b = resolved[r];
  };
  for (auto& inst : top_instances) {
    if (inst.target == nullptr || inst.target->bad) continue;
    for (auto& b : inst.bindings) resolve_ref(b);
    if (std::find(inst.bindings.begin(), inst.bindings.end(), no_bus) != inst.bindings.end())
      continue;
    for (std::int64_t k = 1; k <= inst.count; ++k) {
      const std::string prefix = inst.indexed ? fmt::format("{}[{}]", inst.id, k) : inst.id;
      expand(*inst.target, prefix, inst.bindings, generated);
    }
  }

  // Top-level references last, now that every bus exists: every one is looked up, also those of
  // elements left out for another error. Then top-level components go first in each list.
  for (std::size_t r = 0; r < top.refs.size(); ++r) {
    BusIndex b = encode_ref(r);
    resolve_ref(b);
  }
  for_each_bus_ref(top_parts, resolve_ref);
  // Elements left unconnected by an error (already reported) are dropped.
  auto merge = [&]<typename K>(auto& into, auto& first, auto& second) {
    auto unconnected = [](const auto& e) {
      const auto ports = K::ports(e);
      return std::any_of(ports.begin(), ports.end(), [](auto* p) { return *p == no_bus; });
    };
    std::erase_if(first, unconnected);
    std::erase_if(second, unconnected);
    if (second.empty()) {
      into = std::move(first);
      return;
    }
    into.reserve(first.size() + second.size());
    append_moved(into, first);
    append_moved(into, second);
  };
  // The generated breakers index `generated`'s trips: they follow the top level's.
  const auto top_trips = static_cast<std::int32_t>(top_parts.trips.size());
  for (Line& line : generated.lines)
    if (line.trip >= 0) line.trip += top_trips;
  spec.trips = std::move(top_parts.trips);
  append_moved(spec.trips, generated.trips);
  for_each_model_kind([&]<typename K>() {
    merge.template operator()<K>(K::elements(spec), K::elements(top_parts), K::elements(generated));
  });
  spec_ = nullptr;
  return spec;
}

double default_reactance_per_m(LineType type) noexcept {
  // IEC 60364-5-52 per /work/shared/reference/conductors.md §4: multicore cable 0.08 mohm/m,
  // busbar 0.15 mohm/m. Overhead lines are normally given by their impedance.
  return type == LineType::busbar ? 0.15e-3 : 0.08e-3;
}

ModelSpec build_model(const Document& document, core::DiagnosticList& diagnostics,
                      std::uint64_t memory_limit_bytes) {
  Builder builder(document, diagnostics, memory_limit_bytes);
  return builder.build();
}

void finish_model(const ModelSpec& model, core::DiagnosticList diagnostics,
                  core::DiagnosticList* warnings) {
  diagnostics.append(validate_model(model));
  if (!diagnostics.has_errors()) {
    if (warnings != nullptr) warnings->append(diagnostics);
    return;
  }
  std::vector<core::Diagnostic> items = diagnostics.items();
  std::stable_sort(items.begin(), items.end(), location_before);
  // The builder and validate_model both catch some problems (a duplicate bus id): say each once.
  auto same = [](const core::Diagnostic& a, const core::Diagnostic& b) {
    return a.severity == b.severity && a.where.line == b.where.line &&
           a.where.column == b.where.column && a.where.file == b.where.file &&
           a.message == b.message;
  };
  items.erase(std::unique(items.begin(), items.end(), same), items.end());
  core::DiagnosticList sorted;
  for (auto& item : items) sorted.add(std::move(item));
  throw core::ModelError(std::move(sorted));
}

}  // namespace g2g::model::detail

namespace g2g::model {

void check_parsed(const ModelSpec& spec, core::DiagnosticList diagnostics,
                  core::DiagnosticList* warnings) {
  detail::finish_model(spec, std::move(diagnostics), warnings);
}

ModelSpec validated(ParsedModel parsed, core::DiagnosticList* warnings) {
  check_parsed(parsed.spec, std::move(parsed.diagnostics), warnings);
  return std::move(parsed.spec);
}

}  // namespace g2g::model
