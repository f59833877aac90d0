// ngspice cross-check of the analytic switching energies (devices::device_loss, docs/devices.md):
// a clamped-inductive (double-pulse) test circuit is simulated by ngspice from its own circuit
// equations, the channel energy ∫ v_DS i_channel dt of each edge is integrated from the
// waveforms, and compared with the analytic turn-on (overlap + C_OSS energies) and turn-off
// (overlap with C_OSS snubbing) energies.
//
// The circuit (per edge the load inductor is a constant current, as in a double-pulse test
// whose inductor current barely moves during a few ns):
//   V_bus ─┬─ I_L ──┬── sw                     partner: ideal diode (no Q_rr) in parallel with a
//          └─ D ────┘                          nonlinear C_OSS equal to the device's
//   sw ── channel (B source) ── 0             channel: i = g_m v_ov tanh(v_DS / (g_m v_ov R_on)),
//   sw ── C_DS(v) ── 0,  g ── C_GD ── sw,       v_ov = softplus(v_GS - V_th): saturation current
//   g ── C_GS ── 0,  gate driver ── R_g ── g    g_m v_ov, linear region v_DS / R_on
// g_m = I_L / (V_pl - V_th) puts the plateau at V_pl; C_GD = Q_GD / V_bus and
// C_GS = Q_GS / V_pl - C_GD give the datasheet charges; C_OSS(v) = C_l + (Q_k / V_k) sech²(v/V_k)
// with C_l, Q_k solved so that Q(V_bus) and ∫ v dQ = E(V_bus) match the device's Q_OSS and
// E_OSS. Nonlinear charges are built from a voltage = Q(v) (in nC) across a 1 nF capacitor whose
// current is mirrored into the circuit (ngspice's ddt() in B sources does not converge here).
//
// What SPICE resolves that the analytic model approximates: exponential (not mean-current) gate
// charging, the plateau moving with the C_OSS current through g_m, nonlinear C_OSS current
// during the Miller interval, the channel closing while the node moves, the diode drop. The
// tolerances (turn-on 10 %, turn-on + turn-off 12 %, turn-off alone 30 % where its regime is
// clear; 0.3 µJ absolute floor) cover those: the analytic model is a piecewise-linear reduction
// of the same circuit, not a fit to it. The printed table is in docs/devices.md.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "g2g/devices/device.hpp"
#include "g2g/devices/library.hpp"
#include "support/ngspice.hpp"
#include "support/test_support.hpp"
#include "validation/spice_netlist.hpp"

namespace g2g {
namespace {

using devices::Device;
using devices::GateDrive;

// C_OSS(v) = C_l + (Q_k / V_k) sech²(v / V_k): Q(v) = C_l v + Q_k tanh(v / V_k),
// E(v) = ½ C_l v² + Q_k V_k (x tanh x - ln cosh x), x = v / V_k.
struct OssFit {
  double c_l_f = 0.0;
  double q_k_c = 0.0;
  double v_k_v = 0.0;
};

OssFit fit_oss(double v_v, double q_c, double e_j) {
  for (double divisor = 5.0; divisor <= 1000.0; divisor *= 1.25) {
    const double v_k = v_v / divisor;
    const double x = v_v / v_k;
    const double shape = x * std::tanh(x) - (x + std::log1p(std::exp(-2.0 * x)) - std::log(2.0));
    // [V, tanh x; V²/2, V_k shape] [C_l; Q_k] = [Q; E]
    const double a11 = v_v, a12 = std::tanh(x), a21 = 0.5 * v_v * v_v, a22 = v_k * shape;
    const double det = a11 * a22 - a12 * a21;
    const double c_l = (q_c * a22 - a12 * e_j) / det;
    const double q_k = (a11 * e_j - a21 * q_c) / det;
    if (c_l > 0.0 && q_k > 0.0) return {c_l, q_k, v_k};
  }
  ADD_FAILURE() << "no C_OSS fit for Q " << q_c << " E " << e_j;
  return {};
}

struct Case {
  std::string part;
  double v_bus_v;
  double i_load_a;
  double r_g_ext_ohm;
};

struct EdgeEnergies {
  double on_j = 0.0;
  double off_j = 0.0;
};

std::string netlist(const Device& d, const Case& c, const std::filesystem::path& data) {
  const double q_gs = d.q_gs_c > 0.0 ? d.q_gs_c : d.q_gd_c;  // the loss model's fallback
  const double c_gd = d.q_gd_c / c.v_bus_v;
  const double c_gs = q_gs / d.v_plateau_v - c_gd;
  const double g_m = c.i_load_a / (d.v_plateau_v - d.v_th_v);
  const OssFit fit =
      fit_oss(c.v_bus_v, devices::q_oss_c(d, c.v_bus_v), devices::e_oss_j(d, c.v_bus_v));
  const double r_g = d.r_g_internal_ohm + c.r_g_ext_ohm;
  const std::string v_ov = fmt::format("(0.02*ln(1+exp((v(g)-{})/0.02))+1e-9)", d.v_th_v);
  std::ostringstream out;
  out << "* double-pulse edges of " << d.name << "\n";
  out << fmt::format("Vbus bus 0 DC {}\n", c.v_bus_v);
  out << fmt::format("IL bus sw DC {}\n", c.i_load_a);
  out << "D1 sw bus DI\n.model DI D(IS=1e-12 N=1 RS=5m)\n";
  // Charge sources: V(x) = Q(v) in nC across 1 nF, its current mirrored between the nodes.
  const auto charge = [&](const std::string& tag, const std::string& a, const std::string& b,
                          double c_lin_f) {
    out << fmt::format(
        "Bq{0} xq{0} 0 V=1e9*({1:.9e}*v({2},{3})+{4:.9e}*tanh(v({2},{3})/{5:.9e}))\n", tag, c_lin_f,
        a, b, fit.q_k_c, fit.v_k_v);
    out << fmt::format("Rq{0} xq{0} xr{0} 1m\nVq{0} xr{0} xc{0} 0\nCq{0} xc{0} 0 1n\n", tag);
    out << fmt::format("Fq{0} {1} {2} Vq{0} 1\n", tag, a, b);
  };
  charge("p", "bus", "sw", fit.c_l_f);       // partner C_OSS
  charge("o", "sw", "0", fit.c_l_f - c_gd);  // own C_DS = C_OSS - C_GD
  // Gate: on at t = 0 (carrying I_L), off at 10 ns, on again at 510 ns.
  out << fmt::format("Vdrv gd 0 PULSE({} {} 10n 0.1n 0.1n 500n 2u)\n", d.v_gs_on_v, d.v_gs_off_v);
  out << fmt::format("Rg gd g {}\nCgs g 0 {:.9e}\nCgd g sw {:.9e}\n", r_g, c_gs, c_gd);
  out << "Vsense sw dch 0\n";
  out << fmt::format("Bch dch 0 I={0}*{1}*tanh(v(dch)/({0}*{1}*{2}))\n", g_m, v_ov,
                     d.r_ds_on_25c_ohm);
  out << ".options reltol=1e-4 abstol=1e-9 vntol=1e-6\n";
  out << ".tran 0.01n 1u 0 0.02n\n.control\nrun\n";
  out << fmt::format("wrdata {} v(sw) i(vsense)\n", data.string());
  out << ".endc\n.end\n";
  return out.str();
}

// Channel switching energy per edge: ∫ (v i - i² R_on) dt, i.e. the v i product minus what the
// on-state resistance would dissipate at the same current (zero in the linear region, a few
// tens of nJ in the transitions).
EdgeEnergies integrate(const std::filesystem::path& data, double r_on_ohm) {
  std::ifstream in(data);
  std::vector<double> t, v, i;
  double a = 0, b = 0, c = 0, e = 0;
  while (in >> a >> b >> c >> e) {
    t.push_back(a);
    v.push_back(b);
    i.push_back(e);
  }
  EXPECT_GT(t.size(), 1000u) << "ngspice wrote no waveform";
  EdgeEnergies energies;
  for (std::size_t k = 1; k < t.size(); ++k) {
    const auto p = [&](std::size_t n) { return v[n] * i[n] - i[n] * i[n] * r_on_ohm; };
    const double de = 0.5 * (p(k) + p(k - 1)) * (t[k] - t[k - 1]);
    if (t[k] <= 505e-9)
      energies.off_j += de;
    else
      energies.on_j += de;
  }
  return energies;
}

TEST(DoublePulse, AnalyticSwitchingEnergiesMatchNgspice) {
  if (test::require_ngspice().empty()) return;
  const std::vector<Case> cases{
      {"GS66508P", 400.0, 15.0, 2.0},    {"GS66508P", 400.0, 30.0, 2.0},
      {"GS66508P", 400.0, 15.0, 10.0},   {"GS66508P", 400.0, 5.0, 10.0},
      {"C3M0065100J", 600.0, 20.0, 2.5}, {"C3M0065100J", 600.0, 10.0, 10.0},
      {"IPA60R120P7", 400.0, 8.0, 5.0},  {"EPC2045", 50.0, 15.0, 1.0},
  };
  const auto& library = devices::default_devices();
  fmt::print("{:<12} {:>5} {:>5} {:>5} | {:>9} {:>9} {:>7} | {:>9} {:>9} {:>7}\n", "part", "V", "I",
             "Rg", "on spice", "analytic", "err", "off spice", "analytic", "err");
  for (const Case& c : cases) {
    const Device* found = devices::find_device(library, c.part);
    ASSERT_NE(found, nullptr) << c.part;
    Device d = *found;
    d.q_rr_c = 0.0;  // the SPICE partner is an ideal diode: no recovery charge
    const auto dir =
        test::scratch_dir(fmt::format("double_pulse_{}_{}_{}", c.part, static_cast<int>(c.i_load_a),
                                      static_cast<int>(c.r_g_ext_ohm)));
    const auto data = dir / "waveforms.txt";
    std::ofstream(dir / "dpt.cir") << netlist(d, c, data);
    // ngspice -b exits 1 when a netlist has no .print although the run succeeded: the
    // waveform file and the absence of an aborted run are the checks.
    const auto run = test::run_command(fmt::format("ngspice -b '{}'", (dir / "dpt.cir").string()));
    ASSERT_EQ(run.output.find("aborted"), std::string::npos) << run.output;
    const EdgeEnergies spice = integrate(data, d.r_ds_on_25c_ohm);

    devices::SwitchStress s;
    s.f_sw_hz = 1.0;  // W per Hz = J per edge
    s.v_block_v = c.v_bus_v;
    s.i_on_a = c.i_load_a;
    s.i_off_a = c.i_load_a;
    s = devices::with_partner(s, d);
    const devices::DeviceLoss loss = devices::device_loss(d, s, GateDrive{c.r_g_ext_ohm}, 25.0);
    const double on_j = loss.turn_on_w + loss.oss_w;
    const double off_j = loss.turn_off_w;
    fmt::print(
        "{:<12} {:>5} {:>5} {:>5} | {:>7.3f}uJ {:>7.3f}uJ {:>6.1f}% | {:>7.3f}uJ {:>7.3f}uJ "
        "{:>6.1f}%\n",
        c.part, c.v_bus_v, c.i_load_a, c.r_g_ext_ohm, spice.on_j * 1e6, on_j * 1e6,
        100.0 * (on_j / spice.on_j - 1.0), spice.off_j * 1e6, off_j * 1e6,
        100.0 * (off_j / spice.off_j - 1.0));
    const double floor_j = 0.3e-6;
    EXPECT_NEAR(on_j, spice.on_j, std::max(0.10 * spice.on_j, floor_j)) << c.part;
    EXPECT_NEAR(on_j + off_j, spice.on_j + spice.off_j,
                std::max(0.12 * (spice.on_j + spice.off_j), floor_j))
        << c.part;
    // Turn-off alone is asserted only where the analytic regime is clear: the load current away
    // from the snubbing boundary I_crit = (Q_oss,tot / Q_GD) (V_th - V_gs,off) / R_g, and a C_OSS
    // whose one-point description (Q_OSS, E_OSS) is not dominated by a low-voltage knee
    // (E_OSS > 0.3 * ½ Q_OSS V; superjunction parts are far below). docs/devices.md lists the
    // cases left out and why.
    const double q_total = 2.0 * devices::q_oss_c(d, c.v_bus_v);
    const double i_crit =
        q_total / d.q_gd_c * (d.v_th_v - d.v_gs_off_v) / (d.r_g_internal_ohm + c.r_g_ext_ohm);
    const double linearity =
        devices::e_oss_j(d, c.v_bus_v) / (0.5 * devices::q_oss_c(d, c.v_bus_v) * c.v_bus_v);
    const bool clear = std::fabs(c.i_load_a / i_crit - 1.0) > 0.3 && linearity > 0.3;
    if (clear)
      EXPECT_NEAR(off_j, spice.off_j, std::max(0.30 * spice.off_j, floor_j)) << c.part;
    else
      fmt::print("  turn-off not asserted: I / I_crit = {:.2f}, E_OSS / (½ Q_OSS V) = {:.2f}\n",
                 c.i_load_a / i_crit, linearity);
  }
}

// The check can fail: leaving out the partner's C_OSS energy (V Q_OSS - E_OSS) from the analytic
// turn-on, as a model that counts only the own E_OSS would, misses the SPICE energy by far more
// than the tolerance.
TEST(DoublePulse, WithoutPartnerChargeTheCheckFails) {
  if (test::require_ngspice().empty()) return;
  Device d = *devices::find_device(devices::default_devices(), "GS66508P");
  const Case c{"GS66508P", 400.0, 15.0, 2.0};
  const auto dir = test::scratch_dir("double_pulse_negative");
  const auto data = dir / "waveforms.txt";
  std::ofstream(dir / "dpt.cir") << netlist(d, c, data);
  const auto run = test::run_command(fmt::format("ngspice -b '{}'", (dir / "dpt.cir").string()));
  ASSERT_EQ(run.output.find("aborted"), std::string::npos) << run.output;
  const EdgeEnergies spice = integrate(data, d.r_ds_on_25c_ohm);
  devices::SwitchStress s;
  s.f_sw_hz = 1.0;
  s.v_block_v = c.v_bus_v;
  s.i_on_a = c.i_load_a;
  s.partner_e_oss_j = 0.0;  // no partner
  const devices::DeviceLoss loss = devices::device_loss(d, s, GateDrive{c.r_g_ext_ohm}, 25.0);
  EXPECT_LT(loss.turn_on_w + loss.oss_w, 0.75 * spice.on_j);
}

}  // namespace
}  // namespace g2g
