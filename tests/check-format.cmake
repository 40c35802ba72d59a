# Fails when any C/C++ source of the project differs from what the
# repository's .clang-format makes of it.
file(GLOB_RECURSE sources
  ${SOURCE_DIR}/common/*.[ch] ${SOURCE_DIR}/tokenizer/*.[ch]
  ${SOURCE_DIR}/indexer/*.[ch] ${SOURCE_DIR}/searcher/*.[ch]
  ${SOURCE_DIR}/xapian/*.h ${SOURCE_DIR}/xapian/*.cc
  ${SOURCE_DIR}/cli/*.[ch] ${SOURCE_DIR}/tests/*.[ch]
  ${SOURCE_DIR}/bench/*.[ch])
execute_process(
  COMMAND ${CLANG_FORMAT} --dry-run --Werror ${sources}
  WORKING_DIRECTORY ${SOURCE_DIR}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "formatting differs: run clang-format -i on the files above")
endif()
list(LENGTH sources n)
message(STATUS "${n} files formatted correctly")
