#include "talksearch/ranking_params.h"

namespace talksearch {

double RankingParams::FieldWeight(TextFieldId field) const {
  switch (field) {
    case TextFieldId::kTitle: return title_weight;
    case TextFieldId::kSpeaker: return speaker_weight;
    case TextFieldId::kPanelist: return panelist_weight;
    case TextFieldId::kAffiliation: return affiliation_weight;
    case TextFieldId::kAbstract: return abstract_weight;
    case TextFieldId::kReferences: return references_weight;
  }
  return 1.0;
}

}  // namespace talksearch
