// linediff.cpp — Myers' shortest edit script over lines, and unified diffs.
#include "support/linediff.h"

#include <algorithm>
#include <cstdint>

namespace journey {

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return lines;
}

std::vector<LineChange> DiffLines(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  // Equal heads and tails are common (formatting touches few lines) and cheap to strip.
  size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) ++tail;
  const long n = static_cast<long>(a.size() - head - tail), m = static_cast<long>(b.size() - head - tail);
  auto A = [&](long i) { return a[head + static_cast<size_t>(i)]; };
  auto B = [&](long j) { return b[head + static_cast<size_t>(j)]; };

  // Forward Myers, keeping each round's frontier (diagonals -d..d) to trace
  // the path back. Past kMaxEdits the texts are too different for a minimal
  // script to matter: everything between the equal head and tail changes.
  constexpr long kMaxEdits = 2000;
  const long max = n + m, offset = max + 1;
  std::vector<long> v(static_cast<size_t>(2 * max + 3), 0);
  auto at = [&](const std::vector<long>& frontier, long k) { return frontier[static_cast<size_t>(k + offset)]; };
  std::vector<std::vector<long>> trace;  // trace[d][k + d] = v[k] before round d
  long found = -1;
  for (long d = 0; d <= max && found < 0; ++d) {
    if (d > kMaxEdits) return {{head, a.size() - tail, head, b.size() - tail}};
    trace.emplace_back(v.begin() + (offset - d), v.begin() + (offset + d + 1));
    for (long k = -d; k <= d; k += 2) {
      long x = (k == -d || (k != d && at(v, k - 1) < at(v, k + 1))) ? at(v, k + 1) : at(v, k - 1) + 1;
      long y = x - k;
      while (x < n && y < m && A(x) == B(y)) ++x, ++y;
      v[static_cast<size_t>(k + offset)] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  // Walk back: each round added one insert or delete followed by equal lines.
  struct Step {
    long x0, y0, x1, y1;  // the edit goes from (x0,y0) to (x1,y1)
  };
  std::vector<Step> steps;
  long x = n, y = m;
  for (long d = found; d > 0; --d) {
    const std::vector<long>& pv = trace[static_cast<size_t>(d)];
    auto prev = [&](long k) { return pv[static_cast<size_t>(k + d)]; };
    long k = x - y;
    bool down = k == -d || (k != d && prev(k - 1) < prev(k + 1));
    long prevK = down ? k + 1 : k - 1;
    long px = prev(prevK), py = px - prevK;
    steps.push_back({px, py, down ? px : px + 1, down ? py + 1 : py});
    x = px;
    y = py;
  }
  std::reverse(steps.begin(), steps.end());
  // Merge adjacent edits into changes.
  std::vector<LineChange> out;
  for (const Step& s : steps) {
    size_t ob = head + static_cast<size_t>(s.x0), oe = head + static_cast<size_t>(s.x1);
    size_t nb = head + static_cast<size_t>(s.y0), ne = head + static_cast<size_t>(s.y1);
    if (!out.empty() && out.back().oldEnd == ob && out.back().newEnd == nb) {
      out.back().oldEnd = oe;
      out.back().newEnd = ne;
    } else {
      out.push_back({ob, oe, nb, ne});
    }
  }
  return out;
}

std::string UnifiedDiff(std::string_view before, std::string_view after, const std::string& path) {
  std::vector<std::string_view> a = SplitLines(before), b = SplitLines(after);
  std::vector<LineChange> changes = DiffLines(a, b);
  if (changes.empty()) return {};
  std::string out = "--- a/" + path + "\n+++ b/" + path + "\n";
  auto line = [&](char mark, std::string_view text) {
    out += mark;
    out.append(text);
    if (text.empty() || text.back() != '\n') out += "\n\\ No newline at end of file\n";
  };
  const size_t context = 3;
  for (size_t i = 0; i < changes.size();) {
    // Group changes whose context overlaps into one hunk.
    size_t j = i;
    while (j + 1 < changes.size() && changes[j + 1].oldBegin <= changes[j].oldEnd + 2 * context) ++j;
    size_t ob = changes[i].oldBegin > context ? changes[i].oldBegin - context : 0;
    size_t nb = changes[i].newBegin - (changes[i].oldBegin - ob);
    size_t oe = std::min(a.size(), changes[j].oldEnd + context);
    size_t ne = changes[j].newEnd + (oe - changes[j].oldEnd);
    auto range = [](size_t begin, size_t count) {
      return std::to_string(count ? begin + 1 : begin) + (count == 1 ? "" : "," + std::to_string(count));
    };
    out += "@@ -" + range(ob, oe - ob) + " +" + range(nb, ne - nb) + " @@\n";
    size_t o = ob;
    for (size_t c = i; c <= j; ++c) {
      for (; o < changes[c].oldBegin; ++o) line(' ', a[o]);
      for (size_t k = changes[c].oldBegin; k < changes[c].oldEnd; ++k) line('-', a[k]);
      for (size_t k = changes[c].newBegin; k < changes[c].newEnd; ++k) line('+', b[k]);
      o = changes[c].oldEnd;
    }
    for (; o < oe; ++o) line(' ', a[o]);
    i = j + 1;
  }
  return out;
}

}  // namespace journey
