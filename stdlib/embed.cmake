# embed.cmake — writes a C++ file holding the stdlib sources, so journeyc
# needs no data files at run time. Run with -DOUT=... -DSOURCES="a|b".
set(body "// Generated from stdlib/*.jstd by stdlib/embed.cmake; do not edit.\n#include <string>\n#include <utility>\n#include <vector>\nnamespace journey {\nconst std::vector<std::pair<std::string, std::string>>& EmbeddedStdlibSources() {\n  static const std::vector<std::pair<std::string, std::string>> sources = {\n")
string(REPLACE "|" ";" SOURCES "${SOURCES}")
foreach(src ${SOURCES})
  file(READ "${src}" text)
  get_filename_component(name "${src}" NAME)
  string(APPEND body "    {\"${name}\", R\"jstd(${text})jstd\"},\n")
endforeach()
string(APPEND body "  };\n  return sources;\n}\n}  // namespace journey\n")
file(WRITE "${OUT}" "${body}")
