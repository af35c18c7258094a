"""The kinds of visits of an employee's health follow-up (RULES.md §2), and who takes part."""

from domain.labelled import LabelledEnum


class VisitKind(LabelledEnum):
    INFORMATION_AND_PREVENTION = "vip", "Visite d'information et de prévention"
    SIR_EXAM = "sir_exam", "Examen médical d'aptitude (suivi renforcé)"
    INTERMEDIATE = "intermediate", "Visite intermédiaire"
    PERIODIC = "periodic", "Visite périodique"
    RETURN_TO_WORK = "return_to_work", "Visite de reprise"
    PRE_RETURN = "pre_return", "Visite de pré-reprise"
    MID_CAREER = "mid_career", "Visite de mi-carrière"
    END_OF_CAREER = "end_of_career", "Visite de fin de carrière ou post-exposition"
    ON_REQUEST = "on_request", "Visite à la demande"


class ProfessionalRole(LabelledEnum):
    """The care team (équipe pluridisciplinaire) and the service's contacts (seed 004 §2.2)."""

    OCCUPATIONAL_DOCTOR = "occupational_doctor", "Médecin du travail"
    NURSE = "nurse", "Infirmier en santé au travail"
    PREVENTION_OFFICER = "prevention_officer", "Préventeur"
    MEDICAL_SECRETARY = "medical_secretary", "Secrétaire médicale"
    ADMINISTRATIVE_CONTACT = "administrative_contact", "Contact administratif"
