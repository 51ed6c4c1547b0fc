/* person.c: the rules of a person (person.h). */
#include "person/person.h"

#include "core/catalog.h"
#include "core/values.h"

const struct translatable person_translatable = {
	N_("a person"), 2, {"name", "position"}, {TEXT_PERSON_NAME, TEXT_LINE}};

void person_check(const struct person *p, const char *path, const struct refs *refs,
		  struct report *r)
{
	check_key(r, path, "key", p->key, true);
	check_text(r, path, "name", p->name, TEXT_PERSON_NAME, true);
	check_text(r, path, "honorific", p->honorific, TEXT_LINE, false);
	check_text(r, path, "position", p->position, TEXT_LINE, false);
	check_reference(r, path, "organization", p->organization, false, refs, REF_ORGANIZATION);
	check_country(r, path, "country", p->country, false);
	check_translations(r, path, &p->translations, &person_translatable,
			   (const char *const[]){p->name, p->position});
	if (check_text(r, path, "email", p->email, TEXT_LINE, false) && p->email &&
	    !value_is_email(p->email))
		report_add(r, path, "email", "'%s' is not an e-mail address: expected local@domain",
			   p->email);
}
