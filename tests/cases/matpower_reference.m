function matpower_reference(case_dir, out_dir, case_names)
%MATPOWER_REFERENCE  Writes MATPOWER's own power-flow solution of published cases, the reference
%   of grid2gpu's validation test tests/validation/test_published_cases.cpp.
%
%   matpower_reference(CASE_DIR, OUT_DIR) solves CASE_DIR/<name>.m for case14, case118 and
%   case9241pegase; matpower_reference(CASE_DIR, OUT_DIR, CASE_NAMES) takes a cell array of names.
%   Each case is solved by runpf: Newton-Raphson (polar, power mismatch), pf.tol = 1e-10 pu,
%   reactive limits not enforced, started from the voltages stored in the case. The result goes
%   to OUT_DIR/<name>.pf.txt: '#' header lines, then one line per bus row of the case holding the
%   bus number, Vm (pu, 9 decimals) and Va (deg, 7 decimals). The test compares to half a unit of
%   the last printed decimal, so the number of decimals written here is the test's tolerance.
%
%   MATPOWER's lib, mips/lib, mp-opt-model/lib and mptest/lib must be on the path: see
%   tests/cases/README.md.

if nargin < 3
  case_names = {'case14', 'case118', 'case9241pegase'};
end
vm_decimals = 9;  % 1e-9 pu
va_decimals = 7;  % 1e-7 deg = 1.7e-9 rad, the same order as Vm

opt = mpoption('verbose', 0, 'out.all', 0, 'pf.alg', 'NR', 'pf.tol', 1e-10, ...
               'pf.nr.max_it', 30, 'pf.enforce_q_lims', 0);
if exist('OCTAVE_VERSION', 'builtin')
  runtime = ['Octave ' OCTAVE_VERSION];
else
  runtime = ['MATLAB ' version];
end
for k = 1:numel(case_names)
  name = case_names{k};
  mpc = loadcase(fullfile(case_dir, [name '.m']));
  result = runpf(mpc, opt);
  if ~result.success
    error('matpower_reference: %s did not converge', name);
  end
  file = fullfile(out_dir, [name '.pf.txt']);
  fid = fopen(file, 'w');
  if fid < 0
    error('matpower_reference: cannot write %s', file);
  end
  fprintf(fid, '# %s solved by MATPOWER %s runpf under %s\n', name, mpver(), runtime);
  fprintf(fid, '# Newton-Raphson, pf.tol = 1e-10 pu, Q limits not enforced, %d iterations\n', ...
          result.iterations);
  fprintf(fid, '# bus Vm_pu Va_deg\n');
  line_format = sprintf('%%d %%.%df %%.%df\n', vm_decimals, va_decimals);
  for i = 1:size(result.bus, 1)
    fprintf(fid, line_format, result.bus(i, 1), result.bus(i, 8), result.bus(i, 9));
  end
  fclose(fid);
  fprintf('%s: %d buses, %d iterations -> %s\n', name, size(result.bus, 1), result.iterations, file);
end
end
